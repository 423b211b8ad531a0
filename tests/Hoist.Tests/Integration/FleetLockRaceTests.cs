namespace Hoist.Tests.Integration;

using System.Diagnostics;
using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// Racing runs that select different hosts of one hoist.yml (every host, or `--role web`) on three real
/// sshds: a worker host that sorts first, and two web hosts. Of each pair exactly one may lose, and only to a held lock.
/// </summary>
public sealed class FleetLockRaceTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Trials = 12;

    private readonly TempDir dir = new();
    private TestSshd[] hosts = [];

    /// <summary>The host whose key sorts first (the worker), then the two web hosts.</summary>
    private TestSshd First => hosts[0];

    public async Task InitializeAsync()
    {
        hosts = (await Task.WhenAll(TestSshd.StartAsync(), TestSshd.StartAsync(), TestSshd.StartAsync()))
            .OrderBy(h => $"root@{h.Address}", StringComparer.Ordinal).ToArray();
        foreach (var other in hosts.Skip(1))
        {
            await File.AppendAllTextAsync(First.KnownHosts, await File.ReadAllTextAsync(other.KnownHosts));
            File.Copy(First.ClientKey + ".pub", other.AuthorizedKeys, overwrite: true);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var host in hosts)
        {
            await host.DisposeAsync();
        }

        dir.Dispose();
    }

    [Fact]
    public async Task Deploy_Racing_Deploy_With_Role_Web_Exactly_One_Wins()
    {
        var repo = await Repo.CreateAsync(dir);
        await repo.CommitAsync("v1", ("index.html", "v1"));
        var (lostBoth, wrong) = (0, 0);
        for (var trial = 0; trial < Trials; trial++)
        {
            // The winner waits in its build until the loser has ended, so the loser always meets a held lock.
            var gate = new BuildGate(dir, $"race-{trial}");
            var project = CreateProject($"repo: {repo.Bare}\nbuild: [\"{gate.Step}\"]");
            var results = await RaceAsync(trial, gate, () => project.HoistAsync("deploy", "-m", $"all{trial}"), () => project.HoistAsync("deploy", "--role", "web", "-m", $"web{trial}"));

            lostBoth += results.All(r => r.ExitCode == 75) ? 1 : 0;
            var right = results.Count(r => r.ExitCode == 0) == 1 && results.Count(r => r.ExitCode == 75 && r.Stderr.Contains("deploy is locked by ", StringComparison.Ordinal)) == 1;
            wrong += right && LocksLeft() == 0 ? 0 : 1;
            await ClearLocksAsync(project);
        }

        output.WriteLine($"deploy vs deploy --role web, {Trials} trials: both lost to a held lock in {lostBoth}; not exactly one winner (or a lock left) in {wrong}");
        Assert.Equal(0, wrong);
    }

    [Fact]
    public async Task Lock_Status_And_Release_With_Role_Web_Show_The_Fleet_Lock_Host_And_Release_It_Only_For_The_Same_Holder()
    {
        var project = CreateProject("upload: .");
        var firstLock = Path.Combine(First.Home, "app", ".hoist", "lock");
        var webLock = Path.Combine(hosts[1].Home, "app", ".hoist", "lock");
        Directory.CreateDirectory(firstLock);
        File.WriteAllText(Path.Combine(firstLock, "info"), "someone else (pid 1) since then: deploy\n");

        var status = await project.HoistAsync("lock", "status", "--role", "web");
        var other = await project.HoistAsync("lock", "release", "--force", "--role", "web");
        var otherKept = Directory.Exists(firstLock);
        Directory.CreateDirectory(webLock);
        File.WriteAllText(Path.Combine(firstLock, "info"), "dead run (pid 1) since then: deploy\n");
        File.WriteAllText(Path.Combine(webLock, "info"), "dead run (pid 1) since then: deploy\n");
        var same = await project.HoistAsync("lock", "release", "--force", "--role", "web");
        output.WriteLine($"status: {status}\nrelease, another holder: {other}\nrelease, same holder: {same}");

        Assert.Equal(0, status.ExitCode);
        Assert.Contains($"{First.Address}: locked by someone else (pid 1) since then: deploy (not selected: hoist.yml's first host", status.Stdout);
        Assert.Contains($"{hosts[1].Address}: not locked", status.Stdout);
        Assert.True(otherKept, "a fleet lock of another holder was released by a --role web release");
        Assert.Contains($"{First.Address}: locked by someone else", other.All);
        Assert.Equal(0, same.ExitCode);
        Assert.False(Directory.Exists(firstLock), "the fleet lock of the released run was left");
        Assert.False(Directory.Exists(webLock));
    }

    /// <summary>web: the two later hosts; worker: the first by key, which only a run over every host selects.</summary>
    private Project CreateProject(string extra)
    {
        var project = Project.Create(dir, First, extra, hosts: $"{hosts[1].Address}, {hosts[2].Address}", deployTo: "~/app");
        var yaml = File.ReadAllText(project.ConfigPath)
            .Replace($"  web: [{hosts[1].Address}, {hosts[2].Address}]", $"  web: [{hosts[1].Address}, {hosts[2].Address}]\n  worker: [{First.Address}]", StringComparison.Ordinal);
        dir.Write("hoist.yml", yaml);
        return project;
    }

    /// <summary>Starts the second run 0-165 ms after the first (15 ms more each trial), lets the winner go once one ended.</summary>
    private async Task<RunResult[]> RaceAsync(int trial, BuildGate gate, Func<Task<RunResult>> first, Func<Task<RunResult>> second)
    {
        var clock = Stopwatch.StartNew();
        var a = first();
        var delay = TimeSpan.FromMilliseconds(15 * trial);
        await Task.WhenAny(a, Task.Delay(delay));
        var b = second();
        var runs = new[] { a, b };
        await Task.WhenAny(runs).WaitAsync(TimeSpan.FromSeconds(120));
        gate.Open();
        var results = await Task.WhenAll(runs).WaitAsync(TimeSpan.FromSeconds(120));
        output.WriteLine($"trial {trial} (+{delay.TotalMilliseconds:0} ms): exits {results[0].ExitCode}, {results[1].ExitCode} in {clock.ElapsedMilliseconds} ms, locks left {LocksLeft()}");
        foreach (var failed in results.Where(r => r.ExitCode != 0))
        {
            output.WriteLine("  " + failed.Stderr.Trim().Replace("\n", "\n  ", StringComparison.Ordinal));
        }

        return results;
    }

    private int LocksLeft() => hosts.Count(h => Directory.Exists(Path.Combine(h.Home, "app", ".hoist", "lock")));

    private async Task ClearLocksAsync(Project project)
    {
        if (LocksLeft() > 0)
        {
            Assert.Equal(0, (await project.HoistAsync("lock", "release", "--force")).ExitCode);
        }
    }
}
