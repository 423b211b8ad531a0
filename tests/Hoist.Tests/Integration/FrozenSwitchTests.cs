namespace Hoist.Tests.Integration;

using System.Diagnostics;
using System.Globalization;
using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// Two hosts, one of which goes silent (its sshd processes stopped with SIGSTOP) at the switch or during the reload:
/// the summary says that it stopped answering and in which step, what is known about its <c>current</c>, that its
/// lock may be left, and the commands that clear and check it. The reload waits for a file, so the freeze lands
/// exactly where the test wants it.
/// </summary>
public sealed class FrozenSwitchTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Gate = "reload.open";
    private readonly TempDir dir = new();
    private readonly List<int> stopped = [];
    private TestSshd one = null!;
    private TestSshd two = null!;

    public async Task InitializeAsync()
    {
        (one, two) = await TestSshd.StartPairAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var pid in stopped)
        {
            await Run.ProcessAsync("kill", ["-CONT", pid.ToString(CultureInfo.InvariantCulture)]);
        }

        await one.DisposeAsync();
        await two.DisposeAsync();
        dir.Dispose();
    }

    [Fact]
    public async Task A_Host_Frozen_During_Its_Reload_Is_Reported_Lost_There_With_Its_Lock_Not_As_A_Failed_Reload()
    {
        var repo = await CreateProjectAsync();
        await repo.CommitAsync("v1", ("index.html", "v1"));
        var deploy = new LiveOutput(HoistCli.Start(dir.Path, "deploy"));
        try
        {
            // The step line comes after the `switched` marker on the same stream: hoist has seen current move there.
            await deploy.WaitForLineAsync($"[{two.Address}] -- reload", TimeSpan.FromSeconds(120));
            await WaitForFileAsync(Path.Combine(two.Home, "reload.started"));
            await FreezeAsync(two, two.SessionProcesses());
            await OpenGateAndWaitForExitAsync(deploy, one, "frozen during its reload");
            AssertLostReported(deploy, two, "during 'reload'", "current there had moved to release ");
            Assert.DoesNotContain("reload failed", deploy.Stdout + deploy.Stderr);
            // The fleet goes back with the lost host: a first release has nothing to go back to, and says so.
            Assert.Contains($"[{one.Address}] ok: nothing to go back to (its first release)", deploy.Stdout);

            // Its listener still answers: the next `hoist releases` reports where the lost host was left (locked, on the new release).
            var releases = await HoistCli.RunAsync(dir.Path, "releases", "--host", two.Address);
            output.WriteLine($"hoist releases --host {two.Address}: exit {releases.ExitCode}\n{releases.Stdout}{releases.Stderr}");
            Assert.Contains("locked by", releases.Stdout);
        }
        finally
        {
            await Run.KillAsync(deploy.Process);
        }
    }

    [Fact]
    public async Task A_Host_Frozen_Before_Its_Switch_Is_Reported_Lost_With_Current_Unknown_Not_Unchanged()
    {
        var repo = await CreateProjectAsync();
        await repo.CommitAsync("v1", ("index.html", "v1"));
        // One host at a time: while the first one's reload waits, the other has not begun its switch.
        var deploy = new LiveOutput(HoistCli.Start(dir.Path, "deploy", "--parallel", "1"));
        try
        {
            var first = await FirstToReloadAsync(deploy);
            var other = first == one ? two : one;
            var connection = other.ConnectionProcesses();
            Assert.True(other.SessionProcesses().Count == 0, "the other host already runs a script");
            await FreezeAsync(other, connection);
            await OpenGateAndWaitForExitAsync(deploy, first, "frozen before its switch");
            AssertLostReported(deploy, other, "during 'switch'", "whether current there moved to release ");
            Assert.DoesNotContain("current is unchanged here", deploy.Stdout + deploy.Stderr);
            Assert.Contains($"[{first.Address}] ok: nothing to go back to (its first release)", deploy.Stdout);
            Assert.Contains("every other host was put back", deploy.Stderr);
        }
        finally
        {
            await Run.KillAsync(deploy.Process);
        }
    }

    [Fact]
    public async Task A_Host_Frozen_During_A_Rollbacks_Reload_Is_Reported_Lost_There_With_Its_Lock()
    {
        var repo = await CreateProjectAsync();
        foreach (var home in new[] { one.Home, two.Home })
        {
            File.WriteAllText(Path.Combine(home, Gate), "");
        }

        foreach (var version in new[] { "v1", "v2" })
        {
            await repo.CommitAsync(version, ("index.html", version));
            var deployed = await HoistCli.RunAsync(dir.Path, "deploy");
            Assert.True(deployed.ExitCode == 0, deployed.ToString());
        }

        foreach (var home in new[] { one.Home, two.Home })
        {
            File.Delete(Path.Combine(home, Gate));
            File.Delete(Path.Combine(home, "reload.started"));
        }

        var rollback = new LiveOutput(HoistCli.Start(dir.Path, "rollback"));
        try
        {
            await rollback.WaitForLineAsync($"[{two.Address}] -- reload", TimeSpan.FromSeconds(120));
            await WaitForFileAsync(Path.Combine(two.Home, "reload.started"));
            await FreezeAsync(two, two.SessionProcesses());
            await OpenGateAndWaitForExitAsync(rollback, one, "frozen during the rollback's reload");
            AssertLostReported(rollback, two, "during 'reload'", "current there had moved to release ");
            Assert.Contains("then run `hoist rollback` again", rollback.Stdout);
            Assert.DoesNotContain("reload failed", rollback.Stdout + rollback.Stderr);
            // The other host had rolled back and healthy; with one host lost, it goes back where it was.
            Assert.Contains($"[{one.Address}] ok: back on ", rollback.Stdout);
        }
        finally
        {
            await Run.KillAsync(rollback.Process);
        }
    }

    /// <summary>Two hosts whose reload waits (bounded) until <see cref="Gate"/> exists in the host's home; the repository, to commit to.</summary>
    private async Task<Repo> CreateProjectAsync()
    {
        var repo = await Repo.CreateAsync(dir);
        var reload = "reload: 'touch \"$HOME/reload.started\"; i=0; until [ -e \"$HOME/" + Gate + "\" ]; do i=$((i+1)); [ $i -lt 2400 ] || exit 1; sleep 0.05; done'";
        var project = Project.Create(dir, one, $"repo: {repo.Bare}", reload, hosts: $"{one.Address}, {two.Address}", deployTo: "~/app");
        var yaml = File.ReadAllText(project.ConfigPath).Replace($"known_hosts: {one.KnownHosts} }}", $"known_hosts: {one.KnownHosts}, keepalive_interval: 1, keepalive_count: 2 }}", StringComparison.Ordinal);
        File.WriteAllText(project.ConfigPath, yaml);
        return repo;
    }

    private void AssertLostReported(LiveOutput deploy, TestSshd host, string step, string current)
    {
        var all = deploy.Stdout + "\n" + deploy.Stderr;
        Assert.Equal(1, deploy.Process.ExitCode);
        Assert.Contains($"[{host.Address}] FAILED: host stopped answering: no reply to 2 keep-alives in 2 s, {step}; {current}", deploy.Stdout);
        Assert.Matches("(?m)^error: .*" + System.Text.RegularExpressions.Regex.Escape(host.Address), deploy.Stderr);
        Assert.Contains($"its deploy lock may be left there", all);
        Assert.Contains($"`hoist lock release --force --host {host.Address}`", all);
        Assert.Contains($"`hoist releases --host {host.Address}`", all);
    }

    private async Task<TestSshd> FirstToReloadAsync(LiveOutput deploy)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            foreach (var host in new[] { one, two })
            {
                if (File.Exists(Path.Combine(host.Home, "reload.started")))
                {
                    return host;
                }
            }

            Assert.False(deploy.Process.HasExited, $"hoist ended before any reload began:\n{deploy}");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(120), $"no reload began in 120 s:\n{deploy}");
            await Task.Delay(20);
        }
    }

    private static async Task WaitForFileAsync(string path)
    {
        var clock = Stopwatch.StartNew();
        while (!File.Exists(path))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"{path} did not appear in 60 s");
            await Task.Delay(20);
        }
    }

    private async Task FreezeAsync(TestSshd host, IReadOnlyList<int> pids)
    {
        Assert.True(pids.Count > 0, $"no sshd process of {host.Address} to stop");
        foreach (var pid in pids)
        {
            await Run.ProcessAsync("kill", ["-STOP", pid.ToString(CultureInfo.InvariantCulture)]);
            stopped.Add(pid);
        }

        output.WriteLine($"{host.Address}: sshd processes {string.Join(", ", pids)} stopped");
    }

    /// <summary>Lets the gated host's reload go on, then waits (bounded) for hoist to end, printing how it ended.</summary>
    private async Task OpenGateAndWaitForExitAsync(LiveOutput run, TestSshd gated, string what)
    {
        File.WriteAllText(Path.Combine(gated.Home, Gate), "");
        var clock = Stopwatch.StartNew();

        var ended = await run.WaitForExitAsync(TimeSpan.FromSeconds(60));

        output.WriteLine($"{what}: hoist {(ended ? $"exited {run.Process.ExitCode}" : "still running")} {clock.Elapsed.TotalSeconds:0.0} s later");
        output.WriteLine(run.ToString());
        Assert.True(ended, $"hoist still waits on the frozen host after 60 s:\n{run}");
    }
}
