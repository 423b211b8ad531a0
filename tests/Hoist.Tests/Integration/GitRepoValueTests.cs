namespace Hoist.Tests.Integration;

using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// <c>repo:</c> values as a host's git gets them, over a real sshd: <c>~/</c> is the SSH user's home there, for
/// <c>hoist check</c> exactly as for <c>hoist deploy</c>.
/// </summary>
public sealed class GitRepoValueTests(ITestOutputHelper output) : SshdTest
{
    [Fact]
    public async Task Repo_Under_Home_Is_Expanded_On_The_Host_By_Check_And_Deploy()
    {
        var repo = await Repo.CreateAsync(Dir);
        await repo.CommitAsync("v1", ("index.html", "from home\n"));
        const string name = "repos/app.git";
        var link = Path.Combine(Sshd.Home, name);
        Directory.CreateDirectory(Path.GetDirectoryName(link)!);
        File.CreateSymbolicLink(link, repo.Bare);
        try
        {
            var project = Project.Create(Dir, Sshd, $"repo: ~/{name}");

            var check = await project.HoistAsync("check");
            var deploy = await project.HoistAsync("deploy");

            output.WriteLine($"check: {check}\ndeploy: {deploy}");
            Assert.True(check.ExitCode == 0, check.ToString());
            Assert.DoesNotContain("cannot read", check.All);
            Assert.True(deploy.ExitCode == 0, deploy.ToString());
            Assert.Equal("from home\n", project.ReadCurrent("index.html"));
        }
        finally
        {
            File.Delete(link);
        }
    }

    [Fact]
    public async Task Check_Fails_Where_Deploy_Would_Not_Find_The_Repo()
    {
        var project = Project.Create(Dir, Sshd, "repo: ~/.hoist-test-no-such-repo.git");

        var check = await project.HoistAsync("check");
        var deploy = await project.HoistAsync("deploy");

        output.WriteLine($"check: {check}\ndeploy: {deploy}");
        Assert.Equal(1, check.ExitCode);
        Assert.Contains("cannot read branch 'main' of ~/.hoist-test-no-such-repo.git from this host", check.All);
        Assert.Equal(1, deploy.ExitCode);
        Assert.Contains("step 'fetch' failed", deploy.Stderr);
    }

    [Fact]
    public async Task Remote_Helper_Repo_Is_A_Config_Error_Not_A_Hang()
    {
        var project = Project.Create(Dir, Sshd, "repo: fd::7");

        var deploy = await project.HoistAsync("deploy");

        output.WriteLine(deploy.ToString());
        // A config error: not 0, whichever code config errors get.
        Assert.NotEqual(0, deploy.ExitCode);
        Assert.Contains("error:", deploy.Stderr);
        Assert.Contains("repo: 'fd::7' uses git's remote helper 'fd::'", deploy.Stderr);
    }
}
