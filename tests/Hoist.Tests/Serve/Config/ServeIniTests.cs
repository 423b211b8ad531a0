namespace Hoist.Tests.Serve.Config;

using Hoist.Serve.Config;

public sealed class ServeIniTests
{
    [Fact]
    public void Loads_Minimal_WithDefaults()
    {
        var config = TestIni.Valid("[uwsgi]\nsocket = /run/app.sock\nwsgi-file = wsgi.py\n");

        Assert.Equal(TestIni.FullPath, config.SourcePath);
        Assert.Equal(new UnixListen("/run/app.sock"), config.Listen);
        Assert.Equal(new WsgiApp("/srv/app/conf/wsgi.py", null, "application", null), config.App);
        Assert.Equal("/run/app.sock.ctl", config.ControlSocket);
        Assert.Equal(2, config.Workers);
        Assert.Null(config.SocketMode);
        Assert.Null(config.PidFile);
        Assert.Null(config.LogTo);
        Assert.Equal(50L * 1024 * 1024, config.LogMaxBytes);
        Assert.Null(config.Chdir);
        Assert.Empty(config.Env);
        Assert.False(config.Vacuum);
        Assert.Null(config.Harakiri);
        Assert.Null(config.MaxRequests);
        Assert.Null(config.ReloadOnRssMiB);
        Assert.Null(config.HealthCheck);
        Assert.Equal(TimeSpan.FromSeconds(60), config.ReadyTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), config.Mercy);
    }

    [Fact]
    public void Loads_EveryKey()
    {
        var config = TestIni.Valid("""
            [uwsgi]
            master = true
            workers = 4
            socket = run/app.sock
            chmod-socket = 0660
            pidfile = run/app.pid
            logto = log/app.log
            log-maxsize = 1048576
            touch-reload = /tmp/reload
            chdir = /srv/app/current
            module = shop.wsgi
            callable = app
            optimize = 1
            env = A=1
            vacuum = yes
            die-on-term = on
            harakiri = 20
            max-requests = 1000
            reload-on-rss = 256
            healthcheck = /up
            ready-timeout = 90
            worker-reload-mercy = 10
            control-socket = ~/app.ctl
            plugins = python3
            """);

        Assert.Equal(4, config.Workers);
        Assert.Equal(new UnixListen("/srv/app/conf/run/app.sock"), config.Listen);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite, config.SocketMode);
        Assert.Equal("/srv/app/conf/run/app.pid", config.PidFile);
        Assert.Equal("/srv/app/conf/log/app.log", config.LogTo);
        Assert.Equal(1048576, config.LogMaxBytes);
        Assert.Equal("/tmp/reload", config.TouchReload);
        Assert.Equal("/srv/app/current", config.Chdir);
        Assert.Equal(new WsgiApp(null, "shop.wsgi", "app", 1), config.App);
        Assert.Equal([new("A", "1")], config.Env);
        Assert.True(config.Vacuum);
        Assert.Equal(TimeSpan.FromSeconds(20), config.Harakiri);
        Assert.Equal(1000, config.MaxRequests);
        Assert.Equal(256, config.ReloadOnRssMiB);
        Assert.Equal("/up", config.HealthCheck);
        Assert.Equal(TimeSpan.FromSeconds(90), config.ReadyTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), config.Mercy);
        Assert.Equal("/home/me/app.ctl", config.ControlSocket);
    }

    [Fact]
    public void Reports_AllErrors_AtOnce_InLineOrder()
    {
        var errors = TestIni.Errors("""
            [uwsgi]
            processes = many
            socket = /run/app.sock
            chmod-socket = 999
            prosesses = 2
            vacuum = maybe
            chdir = %(root)
            """);

        Assert.Equal(
            [
                "app.ini:1:1: wsgi-file: no app to run; set 'wsgi-file' (wsgi.py) or 'module' (myapp.wsgi:app) for a Python WSGI app, 'asgi' (myapp:app) for an ASGI app, or 'command' (dotnet MyApp.dll) for any other",
                "app.ini:2:13: processes: expected an integer, got 'many'",
                "app.ini:4:16: chmod-socket: '999' is not a file mode; write it in octal, such as 664 or 0660",
                "app.ini:5:1: prosesses: unknown key 'prosesses'; did you mean 'processes'?",
                "app.ini:6:10: vacuum: expected true or false (or yes/no, on/off, 1/0), got 'maybe'",
                "app.ini:7:9: chdir: placeholder %(root) is not defined; define `root = ...` above this line",
            ],
            errors);
    }

    [Fact]
    public void Rejects_UnknownKey_WithSuggestion()
    {
        Assert.Equal(
            "app.ini:4:1: harikiri: unknown key 'harikiri'; did you mean 'harakiri'?",
            TestIni.Single(TestIni.With("harikiri = 30\n")));
    }

    [Fact]
    public void Reports_MisspeltRequiredKeys_OnlyAsUnknown()
    {
        Assert.Equal(
            [
                "app.ini:2:1: http_socket: unknown key 'http_socket'; did you mean 'http-socket'?",
                "app.ini:3:1: comand: unknown key 'comand'; did you mean 'command'?",
            ],
            TestIni.Errors("[uwsgi]\nhttp_socket = :8000\ncomand = ./server\n"));
    }

    [Fact]
    public void Allows_AdHocKey_UsedAsPlaceholder()
    {
        var config = TestIni.Valid(TestIni.With("project-path = /srv/shop\nchdir = %(project-path)/current\n"));

        Assert.Equal("/srv/shop/current", config.Chdir);
    }

    [Fact]
    public void Accepts_AdHocKey_NothingUses_AsAPlaceholder_With_A_Warning_Naming_Line_And_Fix()
    {
        // flask-empty's ini leaves `user-home = project-user-home-here` unused; uWSGI takes it as a placeholder.
        var result = TestIni.Load(TestIni.With("user-home = project-user-home-here\nproject-path = /srv/shop\nchdir = %(project-path)\n"));

        Assert.True(result.Succeeded, string.Join('\n', result.Errors));
        Assert.Equal(
            ["app.ini:4:1: user-home: not a setting hoist serve knows; it is taken as a placeholder and used nowhere; remove it or use it as %(user-home)"],
            result.Warnings.Select(w => w.ToString()));
    }

    [Fact]
    public void Gives_No_Warning_For_A_Key_Used_As_A_Placeholder_Or_A_Setting()
    {
        var result = TestIni.Load(TestIni.With("project-path = /srv/shop\nchdir = %(project-path)/current\nprocesses = 2\n"));

        Assert.True(result.Succeeded, string.Join('\n', result.Errors));
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Keeps_The_Warning_When_Another_Line_Fails()
    {
        var result = TestIni.Load(TestIni.With("user-home = /home/x\nproceses = 4\n"));

        Assert.False(result.Succeeded);
        Assert.Equal("app.ini:4:1: user-home", Assert.Single(result.Warnings).ToString()[..22]);
    }

    [Fact]
    public void Rejects_UnusedKey_CloseToASetting_AsATypo()
    {
        Assert.Equal(
            "app.ini:4:1: proceses: unknown key 'proceses'; did you mean 'processes'?",
            TestIni.Single(TestIni.With("proceses = 4\n")));
    }

    [Fact]
    public void Rejects_DuplicateKey_NamingBothLines()
    {
        Assert.Equal(
            "app.ini:6:1: harakiri: 'harakiri' is given twice (lines 4 and 6); keep one",
            TestIni.Single(TestIni.With("harakiri = 30\nvacuum = true\nharakiri = 60\n")));
    }

    [Fact]
    public void Rejects_DuplicateAdHocKey()
    {
        Assert.Equal(
            "app.ini:5:1: root: 'root' is given twice (lines 4 and 5); keep one",
            TestIni.Single(TestIni.With("root = /a\nroot = /b\nchdir = %(root)\n")));
    }

    [Fact]
    public void Expands_MagicFolder_InPaths()
    {
        Assert.Equal("/srv/app/conf/app.pid", TestIni.Valid(TestIni.With("pidfile = %d%n.pid\n")).PidFile);
    }
}
