namespace Hoist.Tests.Integration.Machines;

using System.Diagnostics;
using Hoist.Tests.Support;

/// <summary>
/// The seed chapter's stack on fresh machines, as a new user brings it up: web1, web2, db1 and lb1 (nginx in front of
/// both web hosts) booted from the
/// Debian image (no nginx, PostgreSQL, git or Python), examples/flask in a git repository that each web host
/// clones itself over the network (git daemon on the bridge), and the README's order run once with the
/// self-contained hoist: check, setup, deploy. The tests of <see cref="SeedStackTests"/> share it, and each leaves
/// it serving a good release.
/// </summary>
public sealed class SeedStack : IAsyncLifetime
{
    public const string App = "hoistflask";
    public const string DeployTo = "/srv/hoistflask";
    public const string Unit = App + ".service";
    public const string ServerName = "myproject.test";

    private Testbed? testbed;
    private GitDaemon? git;
    private Repo? repo;

    public TempDir Dir { get; } = new("hoist-seed");

    public Testbed Testbed => testbed ?? throw new InvalidOperationException("the machines did not start");

    public Repo Repo => repo ?? throw new InvalidOperationException("no repository");

    public string Hoist { get; private set; } = "";

    public IReadOnlyList<string> WebHosts { get; } = ["web1", "web2"];

    /// <summary>What check, setup and deploy printed the first time, on the fresh machines.</summary>
    public RunResult? Check { get; private set; }

    public RunResult? Setup { get; private set; }

    public RunResult? Deploy { get; private set; }

    public TimeSpan MachinesUp { get; private set; }

    public async Task InitializeAsync()
    {
        try
        {
            await StartAsync();
        }
        catch
        {
            // The machines must not outlive a fixture that failed half-way.
            await DisposeAsync();
            throw;
        }
    }

    private async Task StartAsync()
    {
        Hoist = await SelfContained.HoistAsync();
        var watch = Stopwatch.StartNew();
        testbed = await Testbed.StartMachinesAsync("web1", "web2", "db1", "lb1");
        MachinesUp = watch.Elapsed;
        repo = await Repo.CreateAsync(Dir, "myproject");
        await Run.ShellAsync($"cp -r '{SourceTree.Combine("examples", "flask")}'/. '{repo.Work}'/ && rm -f '{repo.Work}/hoist.yml'");
        await repo.CommitAsync("the seed app");
        git = await GitDaemon.StartAsync(Dir.Path, testbed.BridgeAddress);
        Dir.Write("hoist.yml", Config(git.Url("myproject.git")));
        Check = await HoistAsync("check");
        Setup = await HoistAsync("setup");
        Deploy = await HoistAsync("deploy");
        foreach (var web in WebHosts)
        {
            UnitStates[web] = (await testbed.SshAsync(web, $"systemctl is-active {Unit}; systemctl is-enabled {Unit}; git --version")).Stdout;
        }
    }

    /// <summary>Each web host's unit right after the first deploy: is-active, is-enabled, and git's version.</summary>
    public Dictionary<string, string> UnitStates { get; } = [];

    public async Task DisposeAsync()
    {
        git?.Dispose();
        git = null;
        if (testbed is not null)
        {
            await testbed.DisposeAsync();
            testbed = null;
        }

        Dir.Dispose();
    }

    /// <summary>Runs the self-contained hoist in the config's folder.</summary>
    public Task<RunResult> HoistAsync(params string[] args) => HoistCli.RunBinaryAsync(Hoist, Dir.Path, TimeSpan.FromMinutes(8), args);

    public string Address(string host) => Testbed.Address(host);

    public HttpClient Http(string host) => new() { BaseAddress = new Uri($"http://{Address(host)}/"), Timeout = TimeSpan.FromSeconds(20) };

    /// <summary>Commits a change to the app (files relative to the repository) and returns the new commit.</summary>
    public Task<string> CommitAsync(string message, params (string Path, string Content)[] files) => Repo.CommitAsync(message, files);

    /// <summary>A file of the app as committed now.</summary>
    public string Read(string path) => File.ReadAllText(Path.Combine(Repo.Work, path));

    /// <summary>The unit's main pid on a host (0 when it is not running).</summary>
    public async Task<string> MainPidAsync(string host) =>
        (await Testbed.SshAsync(host, $"systemctl show -p MainPID --value {Unit}")).Stdout.Trim();

    /// <summary>Waits (up to 60 s) until the unit on a host is active: started, and its first generation ready.</summary>
    public async Task WaitForUnitAsync(string host)
    {
        var state = await Testbed.SshAsync(host, $"for i in $(seq 600); do s=$(systemctl is-active {Unit}); [ x$s = xactive ] && break; sleep 0.1; done; echo $s", TimeSpan.FromSeconds(70));
        Assert.True(state.Stdout.Trim() == "active", $"{Unit} on {host} is not active after 60 s: {state}");
    }

    /// <summary>Polls a host's page through nginx until it answers 200 (bounded); returns the page and how long it took.</summary>
    public async Task<(string Page, TimeSpan Took)> WaitForPageAsync(string host, TimeSpan within)
    {
        using var http = Http(host);
        http.Timeout = TimeSpan.FromSeconds(5);
        var watch = Stopwatch.StartNew();
        string last = "";
        while (watch.Elapsed < within)
        {
            try
            {
                using var response = await http.GetAsync("");
                var body = await response.Content.ReadAsStringAsync();
                if (response.IsSuccessStatusCode)
                {
                    return (body, watch.Elapsed);
                }

                last = $"{(int)response.StatusCode}";
            }
            catch (HttpRequestException error)
            {
                last = error.Message;
            }
            catch (TaskCanceledException)
            {
                last = "no answer in 5 s";
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"{host}'s page did not answer 200 within {within.TotalSeconds} s; last: {last}");
    }

    private string Config(string repoUrl) => $"""
        app: {App}
        repo: {repoUrl}
        branch: main
        deploy_to: {DeployTo}
        hosts:
          web: [root@{Address("web1")}, root@{Address("web2")}]
          db: root@{Address("db1")}
          lb: root@{Address("lb1")}
        ssh:
          key: {Testbed.ClientKey}
          known_hosts: {Testbed.KnownHosts}
        shared: [.env, media]
        deploy:
          health_url: /up
          health_timeout: 20
        build:
          - python3 -m compileall -q myproject wsgi.py
        migrate: python3 -m myproject.migrate
        serve:
          socket: {DeployTo}/shared/run/app.sock
          chmod_socket: 660
          workers: 2
          chdir: {DeployTo}/current
          wsgi_file: wsgi.py
          callable: app
          healthcheck: /up
          pidfile: {DeployTo}/shared/run/serve.pid
          logto: {DeployTo}/shared/log/serve.log
          # Small, so that hoist serve itself rotates its log during the tests (hoist logs -f follows it across).
          log_maxsize: 8192
          vacuum: true
        setup:
          packages:
            web: [python3-flask, python3-psycopg2, gunicorn]
          nginx:
            server_name: {ServerName}
        """;
}
