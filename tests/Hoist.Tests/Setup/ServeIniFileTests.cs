namespace Hoist.Tests.Setup;

using Hoist.Serve.Config;
using Hoist.Serve.Control;
using Hoist.Setup;
using Hoist.Tests.Serve.Config;
using Hoist.Tests.Support;

/// <summary>The serve.ini setup writes must read back on the host as exactly what hoist.yml said.</summary>
public sealed class ServeIniFileTests
{
    private const string HostileCommand = "exec ./server --name \"$(hostname)\" --rate 100% --tag '%(app)' ; # $HOME $(";

    private const string HostileHealth = "/up?who=$(HOME)&pct=50%25";

    [Fact]
    public void Renders_Hostile_Values_Escaped()
    {
        Golden.Match("setup/serve-hostile.ini", ServeIniFile.Render("myproject", Hostile(), "/srv/myproject/shared/.env"));
    }

    [Fact]
    public void Hostile_Values_Read_Back_By_The_Ini_Parser_As_Written()
    {
        var config = Hostile();
        var text = ServeIniFile.Render("myproject", config, "/srv/myproject/shared/.env");

        // An environment that has what the values name: nothing may be expanded from it.
        var back = TestIni.Valid(text, new Dictionary<string, string> { ["HOME"] = "/root", ["hostname"] = "EXPANDED" });

        Assert.Equal(config.App, back.App);
        Assert.Equal(config.HealthCheck, back.HealthCheck);
        Assert.Equal(config.Env, back.Env);
        Assert.Equal(config.Listen, back.Listen);
        Assert.Equal(config.Chdir, back.Chdir);
    }

    [Fact]
    public void Renders_An_App_Factory_Threads_And_A_Venv_And_Reads_Them_Back()
    {
        var config = TestIni.Valid("[uwsgi]\nsocket = /srv/flaskr/shared/run/app.sock\nchdir = /srv/flaskr/current\nmodule = flaskr:create_app('production')\nthreads = 4\nvenv = venv\n");

        var text = ServeIniFile.Render("flaskr", config, "/srv/flaskr/shared/.env");

        Golden.Match("setup/serve-factory.ini", text);
        Assert.Equal(config.App, TestIni.Valid(text).App);
    }

    [Fact]
    public void Leaves_A_Tcp_Listeners_Default_Control_Socket_To_The_Host()
    {
        // The default depends on the user hoist serve runs as (root: /run/hoist, else /tmp/hoist-UID): the deploying
        // machine's would name a folder the app's user on the host cannot make.
        var config = TestIni.Valid("[uwsgi]\nhttp-socket = 127.0.0.1:8000\ncommand = ./server\n");

        var text = ServeIniFile.Render("myproject", config, "/srv/myproject/shared/.env");

        Assert.DoesNotContain("control-socket", text, StringComparison.Ordinal);
        Assert.Equal(ControlFolder.DefaultSocket(8000), TestIni.Valid(text).ControlSocket);
    }

    [Fact]
    public void Leaves_A_Unix_Listeners_Default_Control_Socket_To_The_Host()
    {
        var text = ServeIniFile.Render("myproject", TestIni.Valid("[uwsgi]\nsocket = /srv/myproject/shared/run/app.sock\ncommand = ./server\n"), "/srv/myproject/shared/.env");

        Assert.DoesNotContain("control-socket", text, StringComparison.Ordinal);
        Assert.Equal("/srv/myproject/shared/run/app.sock.ctl", TestIni.Valid(text).ControlSocket);
    }

    [Fact]
    public void Writes_A_Control_Socket_That_Was_Set()
    {
        var config = TestIni.Valid("[uwsgi]\nhttp-socket = 127.0.0.1:8000\ncontrol-socket = /srv/myproject/shared/run/ctl.sock\ncommand = ./server\n");

        var text = ServeIniFile.Render("myproject", config, "/srv/myproject/shared/.env");

        Assert.Contains("\ncontrol-socket = /srv/myproject/shared/run/ctl.sock\n", text, StringComparison.Ordinal);
        Assert.Equal("/srv/myproject/shared/run/ctl.sock", TestIni.Valid(text).ControlSocket);
    }

    [Fact]
    public void Names_Values_The_Ini_Cannot_Hold()
    {
        var config = Hostile() with
        {
            App = new CommandApp("./migrate\n./server"),
            Env = [new("GREETING", "two\nlines"), new("PLAIN", "ok")],
        };

        Assert.Equal(
            [
                "serve.command holds a line break, which a line of hoist serve's ini cannot; put the commands in a script in the release and run that",
                "serve.env.GREETING holds a line break, which a line of hoist serve's ini cannot; write the value on one line",
            ],
            ServeIniFile.Problems(config));
        Assert.Empty(ServeIniFile.Problems(Hostile()));
    }

    private static ServeConfig Hostile() => new()
    {
        SourcePath = "/home/me/project/hoist.yml",
        Listen = new UnixListen("/srv/myproject/shared/run/app.sock"),
        ControlSocket = "/srv/myproject/shared/run/app.sock.ctl",
        Chdir = "/srv/myproject/current",
        App = new CommandApp(HostileCommand),
        HealthCheck = HostileHealth,
        Env = [new("PRICE", "$(COST) 5%"), new("DSN", "host=$(DB_HOST);x=%(y)")],
    };
}
