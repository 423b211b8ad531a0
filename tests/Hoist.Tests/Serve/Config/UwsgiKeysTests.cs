namespace Hoist.Tests.Serve.Config;

using Hoist.Serve.Config;

/// <summary>The keys real projects' uWSGI ini files carry: each works, or is refused saying what to use instead.</summary>
public sealed class UwsgiKeysTests
{
    [Fact]
    public void Reads_Threads_ForAWsgiApp()
    {
        Assert.Equal(4, ((WsgiApp)Load("module = shop.wsgi\nthreads = 4").App).Threads);
        Assert.Equal(1, ((WsgiApp)Load("module = shop.wsgi").App).Threads);
    }

    [Fact]
    public void Rejects_ThreadsBelowOne()
    {
        Assert.Equal("app.ini:4:11: threads: must be between 1 and 1024, got 0", Single("module = shop.wsgi\nthreads = 0"));
    }

    [Fact]
    public void Rejects_ThreadsAndVenv_ForACommand()
    {
        Assert.Equal(
            [
                "app.ini:4:11: threads: 'threads' only applies to a WSGI app ('wsgi-file' or 'module'); remove it",
                "app.ini:5:8: venv: 'venv' only applies to a WSGI app ('wsgi-file' or 'module'); a command runs what it names, e.g. venv/bin/python app.py",
            ],
            TestIni.Errors("[uwsgi]\nsocket = /run/app.sock\ncommand = ./server\nthreads = 4\nvenv = venv\n"));
    }

    [Theory]
    [InlineData("venv")]
    [InlineData("home")]
    [InlineData("virtualenv")]
    [InlineData("pyhome")]
    public void Reads_Venv_UnderEachOfUwsgisNames_RelativeToChdir(string key)
    {
        Assert.Equal("/srv/app/current/venv", ((WsgiApp)Load($"chdir = /srv/app/current\nmodule = shop.wsgi\n{key} = venv/").App).Venv);
    }

    [Fact]
    public void Reads_Venv_RelativeToTheIni_AsUwsgisPercentD()
    {
        Assert.Equal("/srv/app/conf/venv", ((WsgiApp)Load("module = shop.wsgi\nvenv = %d/venv/").App).Venv);
    }

    [Fact]
    public void Rejects_TwoNamesForTheVenv()
    {
        Assert.Equal("app.ini:5:8: home: 'venv' and 'home' both name the virtualenv; keep one", Single("module = shop.wsgi\nvenv = /a\nhome = /b"));
    }

    [Theory]
    [InlineData("uid = www-data", "uid", "hoist serve's workers run as the user hoist serve runs as, never switching: under hoist setup that is the systemd unit's User= (setup.user in hoist.yml); elsewhere start hoist serve as that user (sudo -u www-data hoist serve --ini FILE); remove this line")]
    [InlineData("gid = www-data", "gid", "hoist serve's workers run as the user hoist serve runs as, never switching: under hoist setup that is the systemd unit's User= (setup.user in hoist.yml); elsewhere start hoist serve as that user (sudo -u www-data hoist serve --ini FILE); remove this line")]
    [InlineData("daemonize = /var/log/app.log", "daemonize", "hoist serve does not fork itself from its settings: run `hoist serve --ini FILE --daemon` (or hoist setup's systemd unit, setup.service) and name its log file with logto; remove this line")]
    [InlineData("idle = true", "idle", "hoist serve keeps its workers running, never stopping them when idle (a request would wait for an app to load); size them with processes and remove this line")]
    [InlineData("chown-socket = www-data:www-data", "chown-socket", "hoist serve's socket belongs to the user it runs as; give nginx access with chmod-socket (660) and a socket folder of nginx's group, as hoist setup makes /run/<app>; remove this line")]
    public void Refuses_UwsgiKey_SayingWhatToUseInstead(string line, string key, string message)
    {
        var column = line.IndexOf('=', StringComparison.Ordinal) + 3;
        Assert.Equal($"app.ini:4:{column}: {key}: '{key}' is not supported: {message}", Single($"module = shop.wsgi\n{line}"));
    }

    [Theory]
    [InlineData("master")]
    [InlineData("die-on-term")]
    [InlineData("lazy-apps")]
    [InlineData("enable-threads")]
    [InlineData("single-interpreter")]
    [InlineData("need-app")]
    public void Accepts_UwsgiKey_HoistAlwaysHonours_CheckingItsValue(string key)
    {
        Load($"module = shop.wsgi\n{key} = true");
        Assert.Equal($"app.ini:4:{key.Length + 4}: {key}: expected true or false (or yes/no, on/off, 1/0), got 'sure'", Single($"module = shop.wsgi\n{key} = sure"));
    }

    [Fact]
    public void Refuses_OtherUwsgiOptions_AsNotImplemented()
    {
        Assert.Equal(
            "app.ini:4:1: post-buffering: 'post-buffering' is a uWSGI option Hoist does not implement; remove it (examples/serve.example.ini lists every key Hoist reads)",
            Single("module = shop.wsgi\npost-buffering = true"));
    }

    [Fact]
    public void Takes_AUwsgiOptionsName_UsedAsPercentName_ForAPlaceholder()
    {
        // The flask-empty cookiecutter's `pp = /path/to/project`, used as %(pp).
        Assert.Equal("/srv/shop/wsgi.py", ((WsgiApp)Load("pp = /srv/shop\nwsgi-file = %(pp)/wsgi.py").App).File);
    }

    [Fact]
    public void Reports_FlaskEmptysIni_OnlyForWhatHoistRefuses()
    {
        // flask-empty's src/rename_me.ini as it is, but for its /tmp socket folder made /run.
        var ini = string.Join('\n',
            "[uwsgi]", "user = www-data", "prj = your-project-name", "", "# make sure paths exist", "socket = /run/%(prj).sock",
            "pidfile = /run/%(prj).pid", "touch-reload = %(pidfile)", "daemonize = /var/log/uwsgi/%(prj).log", "", "# overwrite when testing local",
            "venv = %d/venv/", "", "idle = true", "master = true", "post-buffering = true", "module = wsgi:app", "harakiri = 30",
            "processes = 4", "", "uid = %(user)", "gid = %(user)", "# server should be able to read/write it", "chown-socket = %(user):%(user)", "");

        Assert.Equal(
            [
                "app.ini:9:13: daemonize: 'daemonize' is not supported: hoist serve does not fork itself from its settings: run `hoist serve --ini FILE --daemon` (or hoist setup's systemd unit, setup.service) and name its log file with logto; remove this line",
                "app.ini:14:8: idle: 'idle' is not supported: hoist serve keeps its workers running, never stopping them when idle (a request would wait for an app to load); size them with processes and remove this line",
                "app.ini:16:1: post-buffering: 'post-buffering' is a uWSGI option Hoist does not implement; remove it (examples/serve.example.ini lists every key Hoist reads)",
                "app.ini:21:7: uid: 'uid' is not supported: hoist serve's workers run as the user hoist serve runs as, never switching: under hoist setup that is the systemd unit's User= (setup.user in hoist.yml); elsewhere start hoist serve as that user (sudo -u www-data hoist serve --ini FILE); remove this line",
                "app.ini:22:7: gid: 'gid' is not supported: hoist serve's workers run as the user hoist serve runs as, never switching: under hoist setup that is the systemd unit's User= (setup.user in hoist.yml); elsewhere start hoist serve as that user (sudo -u www-data hoist serve --ini FILE); remove this line",
                "app.ini:24:16: chown-socket: 'chown-socket' is not supported: hoist serve's socket belongs to the user it runs as; give nginx access with chmod-socket (660) and a socket folder of nginx's group, as hoist setup makes /run/<app>; remove this line",
            ],
            TestIni.Errors(ini));
    }

    private static ServeConfig Load(string lines) => TestIni.Valid($"[uwsgi]\nsocket = /run/app.sock\n{lines}\n");

    private static string Single(string lines) => TestIni.Single($"[uwsgi]\nsocket = /run/app.sock\n{lines}\n");
}
