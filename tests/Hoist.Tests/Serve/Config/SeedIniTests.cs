namespace Hoist.Tests.Serve.Config;

using Hoist.Serve.Config;

/// <summary>The seed chapter's ini: Hoist must read it as uWSGI would, once its paths are real.</summary>
public sealed class SeedIniTests
{
    // Verbatim from the seed chapter (a config sample): it uses %(myproject) and %(prj), which it never defines.
    private const string Seed = """
        [uwsgi]
        user-home = /home/your-system-username
        project-name = myproject
        project-path = %(user-home)/%(myproject)

        # make sure paths exist
        socket = %(user-home)/%(project-name).sock
        pidfile = %(user-home)/%(project-name).pid
        logto = /var/tmp/uwsgi.%(prj).log
        touch-reload = /tmp/reload
        chdir = %(project-path)
        wsgi-file = %(project-path)/wsgi.py
        callable = app
        chmod-socket = 664

        master = true
        processes = 5
        vacuum = true
        die-on-term = true
        optimize = 2
        """;

    [Fact]
    public void Verbatim_Reports_ExactlyTheTwoUndefinedPlaceholders()
    {
        Assert.Equal(
            [
                "app.ini:4:29: project-path: placeholder %(myproject) is not defined; define `myproject = ...` above this line",
                "app.ini:9:24: logto: placeholder %(prj) is not defined; define `prj = ...` above this line",
            ],
            TestIni.Errors(Seed));
    }

    [Fact]
    public void WithRealPaths_Loads()
    {
        var ini = Seed
            .Replace("/home/your-system-username", "/home/deploy", StringComparison.Ordinal)
            .Replace("%(user-home)/%(myproject)", "%(user-home)/%(project-name)", StringComparison.Ordinal)
            .Replace("%(prj)", "%(project-name)", StringComparison.Ordinal);

        var config = TestIni.Valid(ini);

        Assert.Equal(new UnixListen("/home/deploy/myproject.sock"), config.Listen);
        Assert.Equal((UnixFileMode)Convert.ToInt32("664", 8), config.SocketMode);
        Assert.Equal("/home/deploy/myproject.pid", config.PidFile);
        Assert.Equal("/var/tmp/uwsgi.myproject.log", config.LogTo);
        Assert.Equal("/tmp/reload", config.TouchReload);
        Assert.Equal("/home/deploy/myproject", config.Chdir);
        Assert.Equal(new WsgiApp("/home/deploy/myproject/wsgi.py", null, "app", 2), config.App);
        Assert.Equal(5, config.Workers);
        Assert.True(config.Vacuum);
        Assert.Equal("/home/deploy/myproject.sock.ctl", config.ControlSocket);
    }
}
