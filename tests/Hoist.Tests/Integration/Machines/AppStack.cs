namespace Hoist.Tests.Integration.Machines;

using Hoist.Tests.Support;

/// <summary>
/// Two fresh machines for apps nobody on the team wrote, deployed as a new user would (issue 12): web1 and db1
/// booted from the Debian image with nothing set up, a git daemon on the bridge serving every repository made
/// under <see cref="Dir"/>, and the self-contained hoist. Each test of <see cref="AppStackTests"/> brings its own app
/// up (its own app name, deploy_to and nginx server_name, so the apps share the hosts as a user's would) with
/// <see cref="App"/>: a folder with the app's hoist.yml, from which hoist runs.
/// </summary>
public sealed class AppStack : IAsyncLifetime
{
    private Testbed? testbed;
    private GitDaemon? git;

    public TempDir Dir { get; } = new("hoist-apps");

    public Testbed Testbed => testbed ?? throw new InvalidOperationException("the machines did not start");

    public GitDaemon Git => git ?? throw new InvalidOperationException("no git daemon");

    public string Hoist { get; private set; } = "";

    public async Task InitializeAsync()
    {
        try
        {
            Hoist = await SelfContained.HoistAsync();
            testbed = await Testbed.StartMachinesAsync("web1", "db1");
            git = await GitDaemon.StartAsync(Dir.Path, testbed.BridgeAddress);
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
        git?.Dispose();
        git = null;
        if (testbed is not null)
        {
            await testbed.DisposeAsync();
            testbed = null;
        }

        Dir.Dispose();
    }

    public string Address(string host) => Testbed.Address(host);

    /// <summary>
    /// The hosts and SSH lines every app's hoist.yml needs on these machines (web1, db1), to put after the app's own
    /// keys; YAML at column 0.
    /// </summary>
    public string HostsAndSsh(bool db = true) => $"""
        hosts:
          web: root@{Address("web1")}
        {(db ? $"  db: root@{Address("db1")}\n" : "")}ssh:
          key: {Testbed.ClientKey}
          known_hosts: {Testbed.KnownHosts}
        """;

    /// <summary>A new repository (bare NAME.git under <see cref="Dir"/>, served by the git daemon) and its git:// URL.</summary>
    public async Task<(Repo Repo, string Url)> RepoAsync(string name) => (await Repo.CreateAsync(Dir, name), Git.Url(name + ".git"));

    /// <summary>A folder of its own for one app's hoist.yml (and overlays), from which <see cref="HoistAsync"/> runs.</summary>
    public string AppDir(string app)
    {
        var path = Dir.Combine("config-" + app);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Runs the self-contained hoist in an app's config folder.</summary>
    public Task<RunResult> HoistAsync(string app, params string[] args) =>
        HoistCli.RunBinaryAsync(Hoist, AppDir(app), TimeSpan.FromMinutes(8), args);

    /// <summary>An HTTP client for web1's nginx that sends an app's server_name as its Host header.</summary>
    public HttpClient Http(string serverName)
    {
        var http = new HttpClient { BaseAddress = new Uri($"http://{Address("web1")}/"), Timeout = TimeSpan.FromSeconds(20) };
        http.DefaultRequestHeaders.Host = serverName;
        return http;
    }
}
