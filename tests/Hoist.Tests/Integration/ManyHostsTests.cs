namespace Hoist.Tests.Integration;

using System.Diagnostics;
using System.Globalization;
using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// 20 real sshd hosts on loopback (each its own port, host key and home): a deploy works on all of them at once, and
/// <c>--parallel N</c> keeps it to N at a time.
/// </summary>
public sealed class ManyHostsTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int HostCount = 20;

    private readonly TempDir dir = new();
    private TestSshd[] hosts = [];

    private string Starts => dir.Combine("builds.log");

    public async Task InitializeAsync()
    {
        hosts = await Task.WhenAll(Enumerable.Range(0, HostCount).Select(_ => TestSshd.StartAsync()));
        // One known_hosts and one client key for all hosts, as a user would have.
        var first = hosts[0];
        foreach (var other in hosts.Skip(1))
        {
            await File.AppendAllTextAsync(first.KnownHosts, await File.ReadAllTextAsync(other.KnownHosts));
            File.Copy(first.ClientKey + ".pub", other.AuthorizedKeys, overwrite: true);
        }
    }

    public async Task DisposeAsync()
    {
        await Task.WhenAll(hosts.Select(h => h.DisposeAsync().AsTask()));
        dir.Dispose();
    }

    [Fact]
    public async Task Builds_On_20_Hosts_All_Run_At_Once()
    {
        // A 3 s build: every build starts before the first one ends, however busy the machine (the 20 hosts
        // blocked on pool threads started theirs over 4–7 s). The spread is printed, not asserted.
        var project = await CreateProjectAsync(buildSeconds: 3);

        var clock = Stopwatch.StartNew();
        var deploy = await project.HoistAsync("deploy");
        var took = clock.Elapsed;

        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        var builds = Builds();
        var spread = builds.Max(b => b.Start) - builds.Min(b => b.Start);
        var lastStart = builds.Max(b => b.Start);
        var firstEnd = builds.Min(b => b.End);
        output.WriteLine($"{HostCount} hosts, 3 s build: builds started within {spread:0.000} s; the deploy took {took.TotalSeconds:0.00} s");
        Assert.Equal(HostCount, builds.Count);
        Assert.True(lastStart < firstEnd, $"a build ended {lastStart - firstEnd:0.000} s before the last one started (starts spread over {spread:0.000} s)");
    }

    [Fact]
    public async Task Parallel_5_Works_On_At_Most_5_Hosts_At_A_Time()
    {
        var project = await CreateProjectAsync();

        var clock = Stopwatch.StartNew();
        var deploy = await project.HoistAsync("deploy", "--parallel", "5");
        var took = clock.Elapsed;

        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        var builds = Builds();
        var most = builds.Max(b => builds.Count(o => o.Start <= b.Start && b.Start < o.End));
        output.WriteLine($"{HostCount} hosts, 1 s build, --parallel 5: at most {most} builds at once; the deploy took {took.TotalSeconds:0.00} s");
        Assert.Equal(HostCount, builds.Count);
        Assert.InRange(most, 2, 5);
    }

    private async Task<Project> CreateProjectAsync(int buildSeconds = 1)
    {
        var repo = await Repo.CreateAsync(dir);
        await repo.CommitAsync("v1", ("index.html", "v1"));
        // Each build logs its host (the port sshd was reached on) and when it started and ended.
        var build = $"echo \\\"$${{SSH_CONNECTION##* }} start $(date +%s.%N)\\\" >> {Starts}; sleep {buildSeconds}; echo \\\"$${{SSH_CONNECTION##* }} end $(date +%s.%N)\\\" >> {Starts}";
        return Project.Create(dir, hosts[0], $"repo: {repo.Bare}", $"build: [\"{build}\"]",
            hosts: string.Join(", ", hosts.Select(h => h.Address)), deployTo: "~/app");
    }

    private List<(string Host, double Start, double End)> Builds()
    {
        var lines = File.ReadAllLines(Starts).Select(l => l.Split(' ')).ToList();
        double At(string host, string what) => double.Parse(lines.Single(p => p[0] == host && p[1] == what)[2], CultureInfo.InvariantCulture);
        return lines.Select(p => p[0]).Distinct().Select(h => (h, At(h, "start"), At(h, "end"))).ToList();
    }
}
