namespace Hoist.Tests.Support;

using System.Security.Cryptography;

/// <summary>
/// Named test hosts on this machine (testbed/testbed): each a network namespace with its own address, sshd and
/// /etc/nginx, or (<see cref="StartMachinesAsync"/>) a systemd-nspawn machine with systemd as PID 1, its own disk
/// and apt; reachable from the test process; torn down on dispose, also when the test failed.
/// </summary>
public sealed class Testbed : IAsyncDisposable
{
    private readonly TempDir dir;
    private readonly Dictionary<string, (string Address, string Namespace)> hosts;

    private Testbed(string prefix, TempDir dir, Dictionary<string, (string, string)> hosts, string knownHosts, string clientKey, bool machines)
    {
        Prefix = prefix;
        Machines = machines;
        this.dir = dir;
        this.hosts = hosts;
        KnownHosts = knownHosts;
        ClientKey = clientKey;
    }

    /// <summary>testbed/testbed in this checkout.</summary>
    public static string Script { get; } = SourceTree.Combine("testbed", "testbed");

    /// <summary>Names every object of this testbed: namespaces PREFIX-HOST, bridge PREFIXbr, veths PREFIXvN.</summary>
    public string Prefix { get; }

    /// <summary>The folder holding each host's sshd files (DIR/HOST/), the client key and known_hosts.</summary>
    public string Dir => dir.Path;

    /// <summary>One line per host with its address and host key: clients verify keys against it.</summary>
    public string KnownHosts { get; }

    /// <summary>The private key root logs in with on every host.</summary>
    public string ClientKey { get; }

    public IReadOnlyCollection<string> Hosts => hosts.Keys;

    /// <summary>True when the hosts are systemd-nspawn machines rather than network namespaces.</summary>
    public bool Machines { get; }

    /// <summary>The bridge's own address (.1 of the hosts' subnet): where the hosts reach this machine.</summary>
    public string BridgeAddress => hosts.Values.First().Address[..hosts.Values.First().Address.LastIndexOf('.')] + ".1";

    /// <summary>Starts the hosts (names like web1, db1) with a prefix of their own; the script cleans up itself if it fails.</summary>
    public static Task<Testbed> StartAsync(params string[] hosts) => StartAsync(machines: false, hosts);

    /// <summary>
    /// Starts the hosts as systemd-nspawn machines booted from the cached Debian image (built first if missing, which
    /// takes a minute or two), each with its own disk and the local apt repository as its only package source.
    /// </summary>
    public static Task<Testbed> StartMachinesAsync(params string[] hosts) => StartAsync(machines: true, hosts);

    private static async Task<Testbed> StartAsync(bool machines, string[] hosts)
    {
        var prefix = NewPrefix();
        var dir = new TempDir("hoist-testbed");
        string[] kind = machines ? ["--machines"] : [];
        var up = await Run.ProcessAsync(Script, ["up", .. kind, "--dir", dir.Path, "--prefix", prefix, .. hosts], timeout: TimeSpan.FromMinutes(machines ? 8 : 2));
        if (up.ExitCode != 0)
        {
            // `up` removes what it made when it fails; `down` as well covers an `up` that was killed.
            await DownAsync(prefix, dir.Path);
            dir.Dispose();
            throw new InvalidOperationException($"testbed/testbed up {string.Join(' ', hosts)} failed: {up}");
        }

        var started = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        string? knownHosts = null, clientKey = null;
        foreach (var line in up.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var words = line.Split(' ');
            switch (words)
            {
                case ["host", var name, var address, var ns]:
                    started[name] = (address, ns);
                    break;
                case ["known_hosts", var path]:
                    knownHosts = path;
                    break;
                case ["key", var path]:
                    clientKey = path;
                    break;
                default:
                    throw new InvalidOperationException($"testbed/testbed up printed an unexpected line '{line}': {up}");
            }
        }

        if (knownHosts is null || clientKey is null || started.Count != hosts.Length)
        {
            await DownAsync(prefix, dir.Path);
            dir.Dispose();
            throw new InvalidOperationException($"testbed/testbed up did not name every host, known_hosts and key: {up}");
        }

        return new Testbed(prefix, dir, started, knownHosts, clientKey, machines);
    }

    /// <summary>A prefix no other run uses at the same time: "hb" and 4 hex digits.</summary>
    public static string NewPrefix() => "hb" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2));

    /// <summary>Runs testbed/testbed down for a prefix: idempotent, and works after a failed or killed up.</summary>
    public static Task<RunResult> DownAsync(string prefix, string dir) =>
        Run.ProcessAsync(Script, ["down", "--prefix", prefix, "--dir", dir]);

    public string Address(string host) => Host(host).Address;

    public string Namespace(string host) => Host(host).Namespace;

    /// <summary>
    /// Runs <c>bash -c</c> inside the host as root, for assertions: in its namespace (with its /etc/netns files), or
    /// on a machine over SSH.
    /// </summary>
    public Task<RunResult> ExecAsync(string host, string command) =>
        Machines ? SshAsync(host, command) : Run.ProcessAsync("ip", ["netns", "exec", Namespace(host), "bash", "-c", command]);

    /// <summary>Runs a command over SSH as root on the host, with the testbed's key; an unknown host key is refused.</summary>
    public Task<RunResult> SshAsync(string host, string command, TimeSpan? timeout = null) =>
        Run.ProcessAsync("ssh", [
            "-F", "/dev/null", "-o", "BatchMode=yes", "-o", "ConnectTimeout=10",
            "-o", $"UserKnownHostsFile={KnownHosts}", "-o", "GlobalKnownHostsFile=/dev/null", "-o", "StrictHostKeyChecking=yes",
            "-o", "IdentitiesOnly=yes", "-i", ClientKey, $"root@{Address(host)}", command], timeout: timeout);

    public async ValueTask DisposeAsync()
    {
        var down = await DownAsync(Prefix, Dir);
        dir.Dispose();
        if (down.ExitCode != 0)
        {
            throw new InvalidOperationException($"testbed/testbed down --prefix {Prefix} failed: {down}");
        }
    }

    private (string Address, string Namespace) Host(string host) =>
        hosts.TryGetValue(host, out var found)
            ? found
            : throw new ArgumentException($"no host '{host}' in testbed {Prefix}; it has {string.Join(", ", hosts.Keys)}", nameof(host));
}
