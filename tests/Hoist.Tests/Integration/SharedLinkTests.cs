namespace Hoist.Tests.Integration;

using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// Hostile repository layouts against <c>shared:</c> over a real sshd: linking a shared entry never follows a
/// symlink the release contains out of the release, so nothing outside the release or deploy_to is touched.
/// </summary>
public sealed class SharedLinkTests(ITestOutputHelper output) : SshdTest
{
    private Repo repo = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        repo = await Repo.CreateAsync(Dir);
    }

    [Theory]
    [InlineData("absolute")]
    [InlineData("relative")]
    public async Task Parent_Symlink_Leaving_The_Release_Is_Refused_And_The_Outside_File_Is_Intact(string kind)
    {
        var outside = Dir.Combine("outside");
        Dir.Write("outside/app.ini", "real settings\n");
        // releases/<id>/config -> ../../../outside reaches the same folder as the absolute link.
        var target = kind == "absolute" ? outside : "../../../outside";
        await CommitLinkAsync("config", target);
        var project = Project.Create(Dir, Sshd, $"repo: {repo.Bare}", "shared: [config/app.ini]");

        var deploy = await project.HoistAsync("deploy");

        output.WriteLine(deploy.ToString());
        output.WriteLine($"outside/app.ini: link={new FileInfo(Path.Combine(outside, "app.ini")).LinkTarget ?? "none"}, exists={File.Exists(Path.Combine(outside, "app.ini"))}");
        Assert.Equal(1, deploy.ExitCode);
        Assert.Contains("step 'link shared' failed", deploy.Stderr);
        Assert.Contains($"shared entry 'config/app.ini': 'config' in the release is a symlink to {target} (leaves the release)", deploy.Stderr);
        Assert.Contains("nothing was switched", deploy.Stderr);
        Assert.Null(new FileInfo(Path.Combine(outside, "app.ini")).LinkTarget);
        Assert.Equal("real settings\n", await File.ReadAllTextAsync(Path.Combine(outside, "app.ini")));
        Assert.Equal(["app.ini"], Directory.GetFileSystemEntries(outside).Select(Path.GetFileName));
        Assert.Empty(project.Releases());
        Assert.False(Directory.Exists(Path.Combine(project.DeployTo, ".hoist", "lock")));
    }

    /// <summary>The first entry is linked before the second is refused: the message must not say nothing was linked.</summary>
    [Fact]
    public async Task Refused_Entry_After_A_Linked_One_Says_The_Release_Is_Removed_Not_That_Nothing_Was_Linked()
    {
        var outside = Dir.Combine("outside");
        Dir.Write("outside/app.ini", "real settings\n");
        await CommitLinkAsync("config", outside);
        var project = Project.Create(Dir, Sshd, $"repo: {repo.Bare}", "shared: [media, config/app.ini]");

        var deploy = await project.HoistAsync("deploy");

        output.WriteLine(deploy.ToString());
        Assert.Equal(1, deploy.ExitCode);
        Assert.Contains($"shared entry 'config/app.ini': 'config' in the release is a symlink to {outside} (leaves the release); this release is removed and current is unchanged", deploy.Stderr);
        Assert.DoesNotContain("nothing was linked", deploy.All);
        Assert.Empty(project.Releases());
    }

    [Fact]
    public async Task Deeper_Parent_Symlink_Is_Named_In_The_Error()
    {
        var outside = Dir.Combine("outside");
        Dir.Write("outside/c/d.ini", "real\n");
        await repo.CommitAsync("a", ("a/readme", "a\n"));
        await CommitLinkAsync("a/b", outside);
        var project = Project.Create(Dir, Sshd, $"repo: {repo.Bare}", "shared: [a/b/c/d.ini]");

        var deploy = await project.HoistAsync("deploy");

        output.WriteLine(deploy.ToString());
        Assert.Equal(1, deploy.ExitCode);
        Assert.Contains($"shared entry 'a/b/c/d.ini': 'a/b' in the release is a symlink to {outside} (leaves the release)", deploy.Stderr);
        Assert.Equal("real\n", await File.ReadAllTextAsync(Path.Combine(outside, "c", "d.ini")));
    }

    [Fact]
    public async Task Parent_Symlink_Inside_The_Release_Is_Followed()
    {
        await repo.CommitAsync("etc", ("etc/other.ini", "x\n"));
        await CommitLinkAsync("config", "etc");
        var project = Project.Create(Dir, Sshd, $"repo: {repo.Bare}", "shared: [config/app.ini]");

        var deploy = await project.HoistAsync("deploy");

        output.WriteLine(deploy.ToString());
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        var linked = Path.Combine(project.DeployTo, "current", "etc", "app.ini");
        Assert.Equal(Path.Combine(project.DeployTo, "shared", "config", "app.ini"), new FileInfo(linked).LinkTarget);
    }

    [Fact]
    public async Task Shared_Entry_That_Is_Itself_A_Symlink_Out_Is_Replaced_Not_Followed()
    {
        var outside = Dir.Combine("outside");
        Dir.Write("outside/keep.txt", "keep\n");
        await CommitLinkAsync("media", outside);
        var project = Project.Create(Dir, Sshd, $"repo: {repo.Bare}", "shared: [media]");

        var deploy = await project.HoistAsync("deploy");

        output.WriteLine(deploy.ToString());
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        Assert.Equal(Path.Combine(project.DeployTo, "shared", "media"), new DirectoryInfo(Path.Combine(project.DeployTo, "current", "media")).LinkTarget);
        Assert.Equal("keep\n", await File.ReadAllTextAsync(Path.Combine(outside, "keep.txt")));
    }

    private async Task CommitLinkAsync(string path, string target)
    {
        var full = Path.Combine(repo.Work, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.CreateSymbolicLink(full, target);
        await repo.CommitAsync("link " + path);
    }
}
