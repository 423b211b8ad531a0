namespace Hoist.Tests.Integration;

using System.Diagnostics;
using System.Globalization;
using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// Two real sshd hosts, host two's reload (its health gate) held open on a file: one Ctrl-C there puts every switched
/// host back and exits 130; a kill -9 there leaves host two switched but never committed, which `hoist releases` says,
/// and the next deploy (after `hoist lock release --force`) goes through with the stale history draft replaced.
/// </summary>
public sealed class GateSignalTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TempDir dir = new();
    private TestSshd one = null!;
    private TestSshd two = null!;

    public async Task InitializeAsync()
    {
        (one, two) = await TestSshd.StartPairAsync();
    }

    public async Task DisposeAsync()
    {
        File.WriteAllText(Path.Combine(two.Home, "reload.open"), "");
        await one.DisposeAsync();
        await two.DisposeAsync();
        dir.Dispose();
    }

    [Theory]
    [InlineData("-INT")]
    [InlineData("-TERM")]
    public async Task One_CtrlC_During_The_Gate_Puts_Every_Switched_Host_Back_And_Exits_130(string signal)
    {
        var (project, first) = await DeployOnceAsync();
        var deploy = await StartCaughtInGateAsync(project);
        var watch = Stopwatch.StartNew();
        Signal(deploy.Process, signal);
        // The gate in flight finishes (here: once it is let go), then the revert runs.
        await deploy.WaitForLineAsync("interrupted", TimeSpan.FromSeconds(30));
        File.WriteAllText(Path.Combine(two.Home, "reload.open"), "");
        var exited = await deploy.WaitForExitAsync(TimeSpan.FromSeconds(60));

        output.WriteLine(deploy.ToString());
        output.WriteLine($"{signal}: exited: {exited}, exit {(exited ? deploy.Process.ExitCode : -1)}, {watch.Elapsed.TotalSeconds:0.000} s from the signal; " +
            $"current: {Current(one)} on one, {Current(two)} on two (was {first})");
        Assert.True(exited, "hoist did not exit after one Ctrl-C and the gate let go");
        Assert.Equal(130, deploy.Process.ExitCode);
        Assert.Contains("interrupted", deploy.Stderr);
        Assert.Contains("every host was put back where it was", deploy.Stderr);
        foreach (var host in new[] { one, two })
        {
            Assert.Equal(first, Current(host));
            Assert.False(Directory.Exists(Path.Combine(host.Home, "app", ".hoist", "lock")), "lock left on " + host.Port);
            Assert.False(File.Exists(Path.Combine(host.Home, "app", ".hoist", "history.new")), "history draft left on " + host.Port);
            Assert.Contains("reason=interrupted", File.ReadAllText(Path.Combine(host.Home, "app", ".hoist", "audit.log")));
            // Stopped, not failed: the release it was switching to is not marked bad.
            Assert.Empty(Directory.GetFiles(Path.Combine(host.Home, "app", "releases"), ".hoist-bad", SearchOption.AllDirectories));
        }
    }

    [Fact]
    public async Task A_Kill9_During_The_Gate_Is_Shown_By_Releases_And_The_Next_Deploy_Goes_Through()
    {
        var (project, first) = await DeployOnceAsync();
        var deploy = await StartCaughtInGateAsync(project);
        Signal(deploy.Process, "-KILL");
        Assert.True(await deploy.WaitForExitAsync(TimeSpan.FromSeconds(30)), "hoist did not die");
        File.WriteAllText(Path.Combine(two.Home, "reload.open"), "");
        var switched = Current(two);
        output.WriteLine(deploy.ToString());
        output.WriteLine($"after kill -9: current {Current(one)} on one, {switched} on two (was {first})");
        Assert.NotEqual(first, switched);

        var releases = await project.HoistAsync("releases");
        output.WriteLine(releases.ToString());
        Assert.Contains($"current -> {switched} (switched by a deploy or rollback that has not committed (it is in its health gate, or it was killed): " +
            "not health-checked; if the lock's run is gone, run `hoist lock release --force`, then `hoist rollback " + first + "`", releases.Stdout);

        var unlock = await project.HoistAsync("lock", "release", "--force");
        output.WriteLine(unlock.ToString());
        Assert.True(unlock.ExitCode == 0, unlock.ToString());
        var unlocked = await project.HoistAsync("releases");
        output.WriteLine(unlocked.ToString());
        Assert.Contains($"current -> {switched} (switched by a deploy or rollback that never committed: not health-checked; `hoist rollback {first}`", unlocked.Stdout);
        File.Delete(Path.Combine(two.Home, "hold"));
        await WaitPastSecondAsync(switched);
        var again = await project.HoistAsync("deploy");
        output.WriteLine(again.ToString());
        Assert.True(again.ExitCode == 0, again.ToString());
        var history = File.ReadAllLines(Path.Combine(two.Home, "app", ".hoist", "history"));
        output.WriteLine("history on two: " + string.Join(' ', history));
        // The stale draft was replaced from the committed history: the release no gate passed is not in it.
        Assert.DoesNotContain(switched, history);
        Assert.Equal(Current(two), history[^1]);
        var after = await project.HoistAsync("releases");
        output.WriteLine(after.ToString());
        Assert.DoesNotContain("never committed", after.Stdout);
    }

    [Fact]
    public async Task A_Connection_Lost_To_One_Host_In_Its_Gate_Puts_The_Other_Back_Names_It_And_Releases_Shows_Its_State()
    {
        var (project, first) = await DeployOnceAsync();
        var deploy = await StartCaughtInGateAsync(project);
        foreach (var pid in two.SessionProcesses())
        {
            Signal(pid, "-KILL");
        }

        var ended = await deploy.WaitForExitAsync(TimeSpan.FromSeconds(60));
        File.WriteAllText(Path.Combine(two.Home, "reload.open"), "");
        output.WriteLine(deploy.ToString());
        output.WriteLine($"ended: {ended}, exit {(ended ? deploy.Process.ExitCode : -1)}; current {Current(one)} on one, {Current(two)} on two (was {first})");
        Assert.True(ended, "hoist still runs 60 s after host two's session was killed");
        Assert.Equal(1, deploy.Process.ExitCode);
        Assert.Equal(first, Current(one));
        Assert.False(Directory.Exists(Path.Combine(one.Home, "app", ".hoist", "lock")), "lock left on the host that answered");
        Assert.Contains($"every other host was put back", deploy.Stderr);
        Assert.Contains($"hoist lock release --force --host {two.Address}", deploy.Stderr);

        var releases = await project.HoistAsync("releases", "--host", two.Address);
        output.WriteLine(releases.ToString());
        Assert.Contains($"current -> {Current(two)} (switched by a deploy or rollback that has not committed", releases.Stdout);
    }

    private async Task<(Project Project, string First)> DeployOnceAsync()
    {
        var repo = await Repo.CreateAsync(dir);
        // While ~/hold exists, a host's reload waits (bounded, 120 s) for ~/reload.open: the run is caught inside its gate.
        const string Reload = "reload: 'if [ -e \"$HOME/hold\" ]; then touch \"$HOME/reload.started\"; i=0; until [ -e \"$HOME/reload.open\" ]; do i=$((i+1)); " +
            "[ $i -lt 2400 ] || exit 1; sleep 0.05; done; fi'";
        var project = Project.Create(dir, one, $"repo: {repo.Bare}", Reload, hosts: $"{one.Address}, {two.Address}", deployTo: "~/app");
        await repo.CommitAsync("v1", ("index.html", "v1"));
        var deploy = await project.HoistAsync("deploy");
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        var first = Current(one);
        await repo.CommitAsync("v2", ("index.html", "v2"));
        File.WriteAllText(Path.Combine(two.Home, "hold"), "");
        await WaitPastSecondAsync(first);
        return (project, first);
    }

    private async Task<LiveOutput> StartCaughtInGateAsync(Project project)
    {
        var started = Path.Combine(two.Home, "reload.started");
        var deploy = new LiveOutput(HoistCli.Start(dir.Path, "deploy"));
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (!File.Exists(started) && DateTime.UtcNow < deadline && !deploy.Process.HasExited)
        {
            await Task.Delay(20);
        }

        Assert.True(File.Exists(started), "host two's reload never began:\n" + deploy);
        return deploy;
    }

    /// <summary>Release ids are stamped to the second: the next deploy must not take the same name.</summary>
    private static async Task WaitPastSecondAsync(string release)
    {
        while (string.CompareOrdinal(DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture), release) <= 0)
        {
            await Task.Delay(20);
        }
    }

    private static string Current(TestSshd host) => Path.GetFileName(new FileInfo(Path.Combine(host.Home, "app", "current")).LinkTarget!);

    private static void Signal(Process process, string signal) => Signal(process.Id, signal);

    private static void Signal(int pid, string signal) =>
        Process.Start("kill", [signal, pid.ToString(CultureInfo.InvariantCulture)])!.WaitForExit();
}
