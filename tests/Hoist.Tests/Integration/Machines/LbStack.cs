namespace Hoist.Tests.Integration.Machines;

using Hoist.Tests.Support;

/// <summary>
/// lb1 in front of web1 and web2, fresh machines brought up as a user does: check, setup, deploy of a small WSGI app
/// (uploaded; gunicorn from apt) whose page names the host that answered and the forwarded address it was given,
/// and whose /slow holds a request, with a marker file in shared/media while it does; /ready fails on web2 when the
/// release holds a file fail-ready-on-web2. The tests of
/// <see cref="LbMachineTests"/> share it, and each leaves every web host in lb1's upstream.
/// </summary>
public sealed class LbStack : IAsyncLifetime
{
    public const string App = "hoistlb";
    public const string DeployTo = "/srv/hoistlb";
    public const string SlowMarkers = DeployTo + "/shared/media";

    private const string Wsgi = """
        import os, socket, time

        def app(environ, start_response):
            path = environ.get("PATH_INFO", "/")
            if path == "/slow":
                marker = os.path.join("/srv/hoistlb/shared/media", "slow-%d-%f" % (os.getpid(), time.time()))
                open(marker, "w").close()
                try:
                    time.sleep(float(environ.get("QUERY_STRING", "s=5").split("=")[-1]))
                finally:
                    os.remove(marker)
            if path == "/ready" and socket.gethostname() == "web2" and os.path.exists(os.path.join(os.path.dirname(__file__), "fail-ready-on-web2")):
                start_response("500 Internal Server Error", [("Content-Type", "text/plain")])
                return [b"not ready on web2\n"]
            body = "host=%s xff=%s\n" % (socket.gethostname(), environ.get("HTTP_X_FORWARDED_FOR", ""))
            start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
            return [body.encode()]
        """;

    private Testbed? testbed;

    public TempDir Dir { get; } = new("hoist-lb");

    public Testbed Testbed => testbed ?? throw new InvalidOperationException("the machines did not start");

    public string Hoist { get; private set; } = "";

    public RunResult? Check { get; private set; }

    public RunResult? Setup { get; private set; }

    public RunResult? Deploy { get; private set; }

    /// <summary>hoist.yml as the fixture wrote it; a test that changes it puts this back.</summary>
    public string Yaml { get; private set; } = "";

    public async Task InitializeAsync()
    {
        try
        {
            Hoist = await SelfContained.HoistAsync();
            testbed = await Testbed.StartMachinesAsync("lb1", "web1", "web2");
            Dir.Write("app/wsgi.py", Wsgi);
            Yaml = Config();
            Dir.Write("hoist.yml", Yaml);
            Check = await HoistAsync("check");
            Setup = await HoistAsync("setup");
            Deploy = await HoistAsync("deploy");
        }
        catch
        {
            // The machines must not outlive a fixture that failed half-way.
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        if (testbed is not null)
        {
            await testbed.DisposeAsync();
            testbed = null;
        }

        Dir.Dispose();
    }

    public Task<RunResult> HoistAsync(params string[] args) => HoistCli.RunBinaryAsync(Hoist, Dir.Path, TimeSpan.FromMinutes(8), args);

    public string Address(string host) => Testbed.Address(host);

    public HttpClient Http(string host) => new() { BaseAddress = new Uri($"http://{Address(host)}/"), Timeout = TimeSpan.FromSeconds(20) };

    /// <summary>The Hoist config of this stack (hoist.yml), for running its scripts from the test.</summary>
    internal global::Hoist.Config.HoistConfig LoadConfig()
    {
        var result = global::Hoist.Config.ConfigLoader.Load(Dir.Combine("hoist.yml"), new Dictionary<string, string>());
        Assert.True(result.Succeeded, string.Join('\n', result.Errors));
        return result.Config!;
    }

    private string Config() => $"""
        app: {App}
        upload: app
        deploy_to: {DeployTo}
        hosts:
          web: [root@{Address("web1")}, root@{Address("web2")}]
          lb: root@{Address("lb1")}
        ssh:
          key: {Testbed.ClientKey}
          known_hosts: {Testbed.KnownHosts}
        shared: [.env, media]
        serve:
          socket: {DeployTo}/shared/run/app.sock
          chmod_socket: 660
          workers: 2
          chdir: {DeployTo}/current
          wsgi_file: wsgi.py
          callable: app
          healthcheck: /up
          logto: {DeployTo}/shared/log/serve.log
        setup:
          packages:
            web: [gunicorn]
          nginx:
            server_name: lb.test
        """;
}
