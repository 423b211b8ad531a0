namespace Hoist.Tests.Integration.Attack;

using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// Attack on the one runner's failure text (issue 11 §7): a build command that exits 75 (EX_TEMPFAIL, as some tools
/// do) is a failed build, not a held lock. Read by its exit code alone, it came back as "deploy is locked by ;" with
/// no holder and no build output, and exit 75, which tells a CI script to retry a build that will fail again.
/// In the Integration namespace (a real sshd), so the unit filter leaves it out.
/// </summary>
public sealed class BuildExit75IsNotAHeldLockTests(ITestOutputHelper output) : SshdTest
{
    [Fact]
    public async Task A_Build_Exiting_75_Is_Told_As_Its_Step_With_Its_Lines_And_Exit_1()
    {
        Dir.Write("site/index.html", "v1");
        var project = Project.Create(Dir, Sshd, "upload: ./site", """build: ["echo tool says try later >&2; exit 75"]""");

        var deploy = await project.HoistAsync("deploy");
        output.WriteLine(deploy.ToString());

        Assert.Equal(1, deploy.ExitCode);
        Assert.DoesNotContain("deploy is locked by", deploy.Stderr);
        Assert.Contains("step 'build: echo tool says try later >&2; exit 75' failed (exit 75)", deploy.Stderr);
        Assert.Contains("tool says try later", deploy.Stderr);
        Assert.False(Directory.Exists(Path.Combine(project.DeployTo, ".hoist", "lock")), "the failed deploy left its lock");
    }
}
