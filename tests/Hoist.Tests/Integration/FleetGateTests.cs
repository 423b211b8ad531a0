namespace Hoist.Tests.Integration;

using System.Text.RegularExpressions;
using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// The fleet-atomic switch on two real sshd hosts (each its own home): when one host's reload fails, every host this
/// run switched goes back to where it was, the failed release marked bad, the lock released, the revert audited.
/// </summary>
public sealed partial class FleetGateTests(ITestOutputHelper output) : IAsyncLifetime
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
    public async Task A_Reload_Failing_On_One_Host_Puts_The_Other_Already_Switched_Host_Back()
    {
        var (repo, project) = await CreateAsync();
        var v1 = await repo.CommitAsync("v1", ("index.html", "v1"));
        await DeployAsync(project);
        var first = Current(one);
        var v2 = await repo.CommitAsync("v2", ("index.html", "v2"));
        File.WriteAllText(Path.Combine(two.Home, "fail-reload"), v2);

        var failed = await project.HoistAsync("deploy");

        output.WriteLine(failed.ToString());
        Assert.Equal(1, failed.ExitCode);
        Assert.Contains($"the deploy failed on 127.0.0.1:{two.Port}; every host was put back where it was", failed.Stderr);
        Assert.Contains($"127.0.0.1:{two.Port}: the reload failed (exit 1)", failed.Stderr);
        Assert.Contains("reload refused here", failed.Stderr);
        foreach (var host in new[] { one, two })
        {
            Assert.Equal(v1 + "\n", File.ReadAllText(Path.Combine(host.Home, "app", "current", "REVISION")));
            Assert.Equal(first, Current(host));
            Assert.False(Directory.Exists(Path.Combine(host.Home, "app", ".hoist", "lock")), "lock left on " + host.Port);
            var bad = Directory.GetDirectories(Path.Combine(host.Home, "app", "releases")).Single(r => Path.GetFileName(r) != first);
            Assert.True(File.Exists(Path.Combine(bad, ".hoist-bad")), "the failed release is not marked bad on " + host.Port);
            Assert.Contains(" revert deploy release=" + Path.GetFileName(bad) + " back=" + first, File.ReadAllText(Path.Combine(host.Home, "app", ".hoist", "audit.log")));
            // The history never took the failed release: a later rollback follows only releases that went live and stayed.
            Assert.DoesNotContain(Path.GetFileName(bad), File.ReadAllText(Path.Combine(host.Home, "app", ".hoist", "history")));
        }

        output.WriteLine("fleet revert: " + RevertTime().Match(failed.Stdout + failed.Stderr).Value);
        Assert.Matches(RevertTime(), failed.Stdout + failed.Stderr);

        // The hosts are free and whole: with the reload fixed, the next deploy goes through everywhere.
        File.Delete(Path.Combine(two.Home, "fail-reload"));
        var again = await project.HoistAsync("deploy");
        Assert.True(again.ExitCode == 0, again.ToString());
    }

    /// <summary>
    /// A reload: of the user's own (a systemctl restart, say) that failed has stopped the old app and not started the
    /// new one: unlike hoist serve, nothing still runs the previous release there, so the revert must reload it too.
    /// </summary>
    [Fact]
    public async Task A_Custom_Reload_That_Failed_Is_Run_Again_By_The_Revert_So_The_Host_Serves_The_Old_Release()
    {
        var repo = await Repo.CreateAsync(dir);
        // A restart: the old app stops first (~/running removed), then the release starts, unless ~/refuse names its revision.
        const string Restart = "reload: 'rm -f \"$HOME/running\"; if [ -e \"$HOME/refuse\" ] && [ \"$(cat \"$HOIST_RELEASE_PATH/REVISION\")\" = \"$(cat \"$HOME/refuse\")\" ]; " +
            "then echo \"restart failed: the new release will not start\" >&2; exit 1; fi; echo \"$HOIST_RELEASE\" > \"$HOME/running\"'";
        var project = Project.Create(dir, one, $"repo: {repo.Bare}", Restart, hosts: $"{one.Address}, {two.Address}", deployTo: "~/app");
        await repo.CommitAsync("v1", ("index.html", "v1"));
        await DeployAsync(project);
        var first = Current(one);
        var v2 = await repo.CommitAsync("v2", ("index.html", "v2"));
        File.WriteAllText(Path.Combine(two.Home, "refuse"), v2);

        var failed = await project.HoistAsync("deploy");

        output.WriteLine(failed.ToString());
        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("restart failed: the new release will not start", failed.Stderr);
        foreach (var host in new[] { one, two })
        {
            Assert.Equal(first, Current(host));
            var running = Path.Combine(host.Home, "running");
            output.WriteLine($"{host.Port}: running {(File.Exists(running) ? File.ReadAllText(running).Trim() : "nothing")}");
            Assert.True(File.Exists(running), $"nothing runs on {host.Port} after the revert: its failed restart was not run again onto {first}");
            Assert.Equal(first, File.ReadAllText(running).Trim());
        }
    }

    /// <summary>The release to go back to was removed (by hand) on one host: the revert must not point current at nothing.</summary>
    [Fact]
    public async Task A_Revert_Onto_A_Release_That_Is_Gone_Leaves_Current_On_A_Release_That_Exists_And_Says_So()
    {
        var (repo, project) = await CreateAsync();
        await repo.CommitAsync("v1", ("index.html", "v1"));
        await DeployAsync(project);
        var first = Current(one);
        var v2 = await repo.CommitAsync("v2", ("index.html", "v2"));
        File.WriteAllText(Path.Combine(two.Home, "fail-reload"), v2);
        Directory.Delete(Path.Combine(one.Home, "app", "releases", first), recursive: true);
        // Release ids are stamped to the second: a deploy in the same second as the first would take the gone
        // release's free name on host one (so the "previous" there would be the new release itself).
        while (string.CompareOrdinal(DateTime.UtcNow.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture), first) <= 0)
        {
            await Task.Delay(20);
        }

        var failed = await project.HoistAsync("deploy");

        output.WriteLine(failed.ToString());
        var target = new FileInfo(Path.Combine(one.Home, "app", "current")).LinkTarget!;
        output.WriteLine($"{one.Port}: current -> {target}, exists: {Directory.Exists(Path.Combine(one.Home, "app", target))}");
        Assert.Equal(1, failed.ExitCode);
        Assert.True(Directory.Exists(Path.Combine(one.Home, "app", target)), $"current on {one.Port} points at {target}, which does not exist");
        Assert.Contains($"the release to go back to, {first}, is gone", failed.Stderr);
        Assert.DoesNotContain("every host was put back where it was", failed.Stderr);
        Assert.Equal(first, Current(two));
    }

    [Fact]
    public async Task A_Rollback_Failing_On_One_Host_Leaves_Every_Host_Where_It_Was()
    {
        var (repo, project) = await CreateAsync();
        var v1 = await repo.CommitAsync("v1", ("index.html", "v1"));
        await DeployAsync(project);
        var v2 = await repo.CommitAsync("v2", ("index.html", "v2"));
        await DeployAsync(project);
        var live = Current(one);
        File.WriteAllText(Path.Combine(two.Home, "fail-reload"), v1);

        var rollback = await project.HoistAsync("rollback");

        output.WriteLine(rollback.ToString());
        Assert.Equal(1, rollback.ExitCode);
        Assert.Contains($"the rollback failed on 127.0.0.1:{two.Port}; every host was put back where it was", rollback.Stderr);
        foreach (var host in new[] { one, two })
        {
            Assert.Equal(live, Current(host));
            Assert.Equal(v2 + "\n", File.ReadAllText(Path.Combine(host.Home, "app", "current", "REVISION")));
            // The release the rollback left is not marked bad: the rollback never happened.
            Assert.False(File.Exists(Path.Combine(host.Home, "app", "releases", live, ".hoist-bad")), "the live release was marked bad on " + host.Port);
            Assert.False(Directory.Exists(Path.Combine(host.Home, "app", ".hoist", "lock")), "lock left on " + host.Port);
        }

        output.WriteLine("fleet revert: " + RevertTime().Match(rollback.Stdout + rollback.Stderr).Value);
    }

    private static async Task DeployAsync(Project project)
    {
        var deploy = await project.HoistAsync("deploy");
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
    }

    private async Task<(Repo Repo, Project Project)> CreateAsync()
    {
        var repo = await Repo.CreateAsync(dir);
        // Host two refuses to reload onto the revision ~/fail-reload names: a release the app server there will not take.
        var project = Project.Create(dir, one, $"repo: {repo.Bare}",
            "reload: \"if [ -e \\\"$HOME/fail-reload\\\" ] && [ \\\"$(cat \\\"$HOIST_RELEASE_PATH/REVISION\\\")\\\" = \\\"$(cat \\\"$HOME/fail-reload\\\")\\\" ]; then echo 'reload refused here' >&2; exit 1; fi\"",
            hosts: $"{one.Address}, {two.Address}", deployTo: "~/app");
        return (repo, project);
    }

    private static string Current(TestSshd host) => Path.GetFileName(new FileInfo(Path.Combine(host.Home, "app", "current")).LinkTarget!);

    [GeneratedRegex(@"hosts back in \d+\.\d{3} s from the decision")]
    private static partial Regex RevertTime();
}
