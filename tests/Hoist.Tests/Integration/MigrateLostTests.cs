namespace Hoist.Tests.Integration;

using System.Diagnostics;
using System.Globalization;
using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// The connection to the migrate host is lost while its migration runs (its per-connection sshd killed): the error
/// names the host, says the migration had started so whether it ran is unknown, that nothing was switched, and what
/// to run; the other host is cleaned up.
/// </summary>
public sealed class MigrateLostTests(ITestOutputHelper output) : IAsyncLifetime
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
        await one.DisposeAsync();
        await two.DisposeAsync();
        dir.Dispose();
    }

    [Fact]
    public async Task A_Connection_Lost_During_The_Migration_Names_The_Host_Says_It_May_Have_Run_And_What_To_Run()
    {
        var (deploy, live) = await KillMigrateHostMidMigrationAsync("deploy", commitFirst: true);
        var clock = Stopwatch.StartNew();
        var ended = await deploy.WaitForExitAsync(TimeSpan.FromSeconds(60));
        output.WriteLine(deploy.ToString());
        output.WriteLine($"ended: {ended}, exit {(ended ? deploy.Process.ExitCode : -1)}, {clock.Elapsed.TotalSeconds:0.000} s after the session was killed");
        Assert.True(ended, "hoist still runs 60 s after the migrate host's session was killed");
        Assert.Equal(1, deploy.Process.ExitCode);
        Assert.Contains($"error: {two.Address}: the connection was lost during the migration", deploy.Stderr);
        Assert.Contains("whether it ran (wholly, partly or not at all) is unknown", deploy.Stderr);
        Assert.Contains("nothing was switched: current is unchanged on every host", deploy.Stderr);
        Assert.Contains($"hoist lock release --force --host {two.Address}", deploy.Stderr);
        foreach (var host in new[] { one, two })
        {
            Assert.Equal(live, Current(host));
        }

        Assert.False(Directory.Exists(Path.Combine(one.Home, "app", ".hoist", "lock")), "the reachable host is still locked");
    }

    [Fact]
    public async Task Hoist_Migrate_Losing_Its_Host_Says_So_In_The_Deploys_Words_And_Claims_No_Audit_Line()
    {
        var (migrate, _) = await KillMigrateHostMidMigrationAsync("migrate", commitFirst: false);
        var ended = await migrate.WaitForExitAsync(TimeSpan.FromSeconds(60));
        output.WriteLine(migrate.ToString());
        Assert.True(ended, "hoist migrate still runs 60 s after the migrate host's session was killed");
        Assert.Equal(1, migrate.Process.ExitCode);
        // Deploy's wording for a lost host (LostHost.Describe): the host, what was lost during which step, what may be left, what to run.
        Assert.Matches($@"(?m)^error: {System.Text.RegularExpressions.Regex.Escape(two.Address)}: .+ \(during 'migrate: .+'\); its deploy lock \(and the migration, if it still runs\) may be left there: " +
            $@"once it answers, run `hoist lock release --force --host {System.Text.RegularExpressions.Regex.Escape(two.Address)}` \(it also stops what this migrate left running\), and check what the migration did", migrate.Stderr);
        Assert.DoesNotContain("result=failed", migrate.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(one.Home, "app", ".hoist", "lock")), "the reachable host is still locked");
    }

    /// <summary>
    /// Deploys once, then starts `hoist VERB` whose migration (on <c>two</c>) says it began and takes 60 s, and kills
    /// two's SSH sessions once it has begun; returns the running hoist and the release live before.
    /// </summary>
    /// <param name="commitFirst">A new commit before the run (a deploy of something new; migrate runs in current).</param>
    private async Task<(LiveOutput Run, string Live)> KillMigrateHostMidMigrationAsync(string verb, bool commitFirst)
    {
        var repo = await Repo.CreateAsync(dir);
        await repo.CommitAsync("v1", ("index.html", "v1"));
        // While ~/slow exists, the migration says it began and then takes (at most) 60 s.
        var project = Project.Create(dir, one, $"repo: {repo.Bare}",
            "migrate: 'if [ -e \"$HOME/slow\" ]; then touch \"$HOME/migrate.started\"; sleep 60; fi'\n" + $"migrate_on: {two.Address}",
            hosts: $"{one.Address}, {two.Address}", deployTo: "~/app");
        var first = await project.HoistAsync("deploy");
        Assert.True(first.ExitCode == 0, first.ToString());
        var live = Current(two);
        if (commitFirst)
        {
            await repo.CommitAsync("v2", ("index.html", "v2"));
        }

        File.WriteAllText(Path.Combine(two.Home, "slow"), "");
        var run = new LiveOutput(HoistCli.Start(dir.Path, verb));
        var started = Path.Combine(two.Home, "migrate.started");
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (!File.Exists(started) && DateTime.UtcNow < deadline && !run.Process.HasExited)
        {
            await Task.Delay(20);
        }

        Assert.True(File.Exists(started), "the migration never began:\n" + run);
        foreach (var pid in two.SessionProcesses())
        {
            Process.Start("kill", ["-KILL", pid.ToString(CultureInfo.InvariantCulture)])!.WaitForExit();
        }

        return (run, live);
    }

    private static string Current(TestSshd host) => Path.GetFileName(new DirectoryInfo(Path.Combine(host.Home, "app", "current")).LinkTarget ?? "none");
}
