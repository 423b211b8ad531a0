namespace Hoist.Tests.Integration;

using System.Diagnostics;
using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// Ctrl-C twice while the switch's reload (the health gate) runs: hoist exits at once, and what it says may be left
/// must include that current there may already point at the new release, which nothing has health-checked, with the
/// commands that put the host back; those commands are then run and must work.
/// </summary>
public sealed class GateInterruptTests(ITestOutputHelper output) : SshdTest
{
    [Fact]
    public async Task A_Second_CtrlC_During_The_Gate_Says_Current_May_Have_Moved_And_How_To_Put_It_Back()
    {
        var repo = await Repo.CreateAsync(Dir);
        var hold = Path.Combine(Sshd.Home, "hold");
        var open = Path.Combine(Sshd.Home, "reload.open");
        // While ~/hold exists the reload waits (bounded, 120 s) for ~/reload.open: the run is caught inside its gate.
        var reload = $"reload: 'if [ -e {hold} ]; then touch {Sshd.Home}/reload.started; i=0; until [ -e {open} ]; do i=$((i+1)); [ $i -lt 2400 ] || exit 1; sleep 0.05; done; fi'";
        var project = Project.Create(Dir, Sshd, $"repo: {repo.Bare}", reload);
        await repo.CommitAsync("v1", ("index.html", "v1"));
        Assert.Equal(0, (await project.HoistAsync("deploy")).ExitCode);
        var first = project.Current();
        await repo.CommitAsync("v2", ("index.html", "v2"));
        File.WriteAllText(hold, "");

        var deploy = new LiveOutput(HoistCli.Start(Dir.Path, "deploy"));
        try
        {
            await deploy.WaitForLineAsync($"[{Sshd.Address}] -- reload", TimeSpan.FromSeconds(120));
            Signal(deploy.Process);
            await deploy.WaitForLineAsync("interrupted: cleaning up", TimeSpan.FromSeconds(30));
            Signal(deploy.Process);
            Assert.True(await deploy.WaitForExitAsync(TimeSpan.FromSeconds(30)), "hoist did not exit at the second Ctrl-C:\n" + deploy);
        }
        finally
        {
            File.WriteAllText(open, "");
        }

        output.WriteLine(deploy.ToString());
        var moved = project.Current();
        output.WriteLine($"exit {deploy.Process.ExitCode}; current {first} before, {moved} after");
        Assert.Equal(130, deploy.Process.ExitCode);
        Assert.NotEqual(first, moved);
        Assert.Contains($"current may already point at release {moved}", deploy.Stderr);
        Assert.Contains($"hoist rollback {first}", deploy.Stderr);

        // The advice works: the lock is released, and the rollback it names puts the host back.
        File.Delete(hold);
        var unlock = await project.HoistAsync("lock", "release", "--force");
        output.WriteLine(unlock.ToString());
        var back = await project.HoistAsync("rollback", first);
        output.WriteLine(back.ToString());
        Assert.True(back.ExitCode == 0, back.ToString());
        Assert.Equal(first, project.Current());
    }

    private static void Signal(Process process) =>
        Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
}
