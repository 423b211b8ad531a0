namespace Hoist.Tests.Config.Loading;

using Hoist.Serve.Config;
using Hoist.Tests.Config;
using Hoist.Tests.Serve.Config;

public sealed class ServeReaderTests
{
    private const string Minimal = TestConfig.Minimal + "\n";

    [Fact]
    public void Leaves_Serve_Null_WhenAbsent()
    {
        Assert.Null(TestConfig.Valid(Minimal).Serve);
    }

    [Fact]
    public void Reads_ServeSection()
    {
        var config = TestConfig.Valid(Minimal + """
            serve:
              http_socket: 127.0.0.1:${PORT:-8000}
              workers: 3
              command: dotnet Shop.dll
              env: { DOTNET_ENVIRONMENT: Production }
              healthcheck: /up
            """);

        var serve = config.Serve!;
        Assert.Equal(new TcpListen("127.0.0.1", 8000), serve.Listen);
        Assert.Equal(3, serve.Workers);
        Assert.Equal(new CommandApp("dotnet Shop.dll"), serve.App);
        Assert.Equal([new("DOTNET_ENVIRONMENT", "Production")], serve.Env);
        Assert.Equal("/up", serve.HealthCheck);
        Assert.Equal(config.ConfigPath, serve.SourcePath);
    }

    [Fact]
    public void Reports_Errors_AtYamlLine_WithServePath()
    {
        var errors = TestConfig.Errors(Minimal + """
            serve:
              socket: /run/app.sock
              chmod_socket: 0669
              wsgi_file: wsgi.py
              max_requests: 0
            """);

        Assert.Equal(
            [
                "hoist.yml:7:17: serve.chmod_socket: '0669' is not a file mode; write it in octal, such as 664 or 0660",
                "hoist.yml:9:17: serve.max_requests: must be at least 1, got 0",
            ],
            errors);
    }

    [Fact]
    public void Rejects_IniSpelling_WithSuggestion()
    {
        var error = TestConfig.Single(Minimal + "serve: { http-socket: ':8000', command: x }\n");

        Assert.Equal("hoist.yml:5:10: serve.http-socket: unknown key 'http-socket'; did you mean 'http_socket'?", error);
    }

    [Fact]
    public void Rejects_MissingKeys_AtServeNode_InYamlSpelling()
    {
        Assert.Equal(
            [
                "hoist.yml:6:3: serve.socket: nowhere to listen; set 'socket' to a socket path (/run/myapp.sock) or to host:port (127.0.0.1:8000)",
                "hoist.yml:6:3: serve.wsgi_file: no app to run; set 'wsgi_file' (wsgi.py) or 'module' (myapp.wsgi:app) for a Python WSGI app, 'asgi' (myapp:app) for an ASGI app, or 'command' (dotnet MyApp.dll) for any other",
            ],
            TestConfig.Errors(Minimal + "serve:\n  vacuum: true\n"));
    }

    [Fact]
    public void Rejects_EnvThatIsNotAMapping()
    {
        Assert.Equal(
            "hoist.yml:5:35: serve.env: expected a mapping of NAME: value, got a list",
            TestConfig.Single(Minimal + "serve: { http_socket: ':80', env: [A=1], command: x }\n"));
    }

    [Fact]
    public void Rejects_SocketAndHttpSocket_LikeTheIni()
    {
        var yml = TestConfig.Single(Minimal + "serve: { socket: /run/a.sock, http_socket: ':80', command: x }\n");
        var ini = TestIni.Single("[uwsgi]\nsocket = /run/a.sock\nhttp-socket = :80\ncommand = x\n");

        Assert.EndsWith(
            "serve.http_socket: 'socket' and 'http_socket' are both set; keep one (Hoist speaks HTTP on either)", yml, StringComparison.Ordinal);
        Assert.EndsWith("http-socket: 'socket' and 'http-socket' are both set; keep one (Hoist speaks HTTP on either)", ini, StringComparison.Ordinal);
    }

    [Fact]
    public void Matches_Ini_ForSameSettings()
    {
        var yml = TestConfig.Valid(Minimal + """
            serve:
              socket: /run/shop.sock
              chmod_socket: 660
              processes: 4
              chdir: /srv/shop/current
              module: shop.wsgi:app
              optimize: 1
              env: { A: '1', B: x=y }
              pidfile: /run/shop.pid
              logto: /var/log/shop.log
              log_maxsize: 1000
              touch_reload: /srv/shop/reload
              vacuum: on
              master: yes
              die_on_term: true
              plugins: python3
              harakiri: 30
              max_requests: 100
              reload_on_rss: 300
              healthcheck: /up
              ready_timeout: 20
              worker_reload_mercy: 5
              control_socket: /run/shop.ctl
            """).Serve!;
        var ini = TestIni.Valid("""
            [uwsgi]
            socket = /run/shop.sock
            chmod-socket = 660
            processes = 4
            chdir = /srv/shop/current
            module = shop.wsgi:app
            optimize = 1
            env = A=1
            env = B=x=y
            pidfile = /run/shop.pid
            logto = /var/log/shop.log
            log-maxsize = 1000
            touch-reload = /srv/shop/reload
            vacuum = on
            master = yes
            die-on-term = true
            plugins = python3
            harakiri = 30
            max-requests = 100
            reload-on-rss = 300
            healthcheck = /up
            ready-timeout = 20
            worker-reload-mercy = 5
            control-socket = /run/shop.ctl
            """);

        Assert.Equal(ini.Env, yml.Env);
        Assert.Equal(ini with { SourcePath = "", Env = [] }, yml with { SourcePath = "", Env = [] });
    }
}
