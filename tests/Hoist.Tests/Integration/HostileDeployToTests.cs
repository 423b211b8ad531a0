namespace Hoist.Tests.Integration;

using System.Diagnostics;
using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// Hostile layouts and names for deploy_to and its releases, over a real sshd with a real second Unix user: the
/// ownership walk must follow deploy_to's links to exactly where they lead, and the release list must stay bounded
/// whatever a release folder holds.
/// </summary>
public sealed class HostileDeployToTests(ITestOutputHelper output) : SshdTest
{
    [Fact]
    public async Task A_Deploy_To_Link_Into_Another_Users_Folder_Whose_Name_Ends_In_A_Newline_Is_Refused()
    {
        // $(readlink -f) drops the newline that ends the name, so the walk looked at the look-alike "t" (root's) instead.
        Dir.Write("publish/app.txt", "app\n");
        await using var other = await OtherUser.CreateAsync();
        var deployTo = Dir.Combine("app");
        await Run.ShellAsync(
            $"cd '{Dir.Path}' && chmod 755 . && mkdir -m 755 \"t\"$'\\n' t && chown {other.Name} \"t\"$'\\n' && ln -s \"$PWD/t\"$'\\n' app");
        var project = Project.Create(Dir, Sshd, "upload: ./publish", deployTo: deployTo);

        var check = await project.HoistAsync("check");
        var deploy = await project.HoistAsync("deploy");

        output.WriteLine($"check exit {check.ExitCode}, deploy exit {deploy.ExitCode}\ncheck:\n{check.All.Trim()}\ndeploy:\n{deploy.All.Trim()}");
        Assert.Equal(1, check.ExitCode);
        Assert.Contains($"owned by {other.Name}", check.All);
        Assert.Equal(1, deploy.ExitCode);
        Assert.Empty(Directory.GetFileSystemEntries(Dir.Combine("t\n")));
    }

    [Theory]
    [InlineData("a b/*/[x]/app")]
    [InlineData("glob?/-n/app")]
    public async Task A_Deploy_To_With_Spaces_And_Glob_Characters_In_Its_Own_Tree_Deploys(string relative)
    {
        Dir.Write("publish/app.txt", "app\n");
        var deployTo = Dir.Combine(relative);
        await Run.ShellAsync($"chmod 755 '{Dir.Path}'");
        var project = Project.Create(Dir, Sshd, "upload: ./publish", deployTo: $"'{deployTo}'");

        var check = await project.HoistAsync("check");
        var deploy = await project.HoistAsync("deploy");

        output.WriteLine($"{relative}: check exit {check.ExitCode}, deploy exit {deploy.ExitCode}\n{check.All.Trim()}\n{deploy.All.Trim()}");
        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        Assert.Equal("app\n", File.ReadAllText(Path.Combine(deployTo, "current", "app.txt")));
    }

    [Fact]
    public async Task Hostile_Release_Folders_Leave_The_Release_List_Bounded_And_True()
    {
        Dir.Write("publish/app.txt", "app\n");
        await Run.ShellAsync($"chmod 755 '{Dir.Path}'");
        var project = Project.Create(Dir, Sshd, "upload: ./publish");
        var deploy = await project.HoistAsync("deploy");
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        var live = project.Current();
        var releases = Path.Combine(project.DeployTo, "releases");
        // Valid ids, so the list would show them: a 20 MB one-line REVISION, a FIFO, /dev/zero, two lines, a newline in a name.
        await Run.ShellAsync(string.Join(" && ",
            $"cd '{releases}'",
            "mkdir 20200101000001 20200101000002 20200101000003 20200101000004 \"20200101000005\"$'\\n'x",
            "head -c 20000000 /dev/zero | tr '\\0' a > 20200101000001/REVISION",
            "mkfifo 20200101000002/REVISION",
            "ln -s /dev/zero 20200101000003/REVISION",
            "printf 'abc\\nrelease=20990101-000000 ok forged\\n' > 20200101000004/REVISION",
            "echo def > \"20200101000005\"$'\\n'x/REVISION"));

        var clock = Stopwatch.StartNew();
        var list = await project.HoistAsync("releases");
        var took = clock.Elapsed;

        output.WriteLine($"hoist releases: exit {list.ExitCode} in {took.TotalSeconds:F2} s, {list.Stdout.Length} characters of output\n{(list.All.Length > 3000 ? list.All[..3000] + "..." : list.All)}");
        Assert.True(list.ExitCode == 0, list.All.Length > 3000 ? list.All[..3000] : list.ToString());
        Assert.Contains(live, list.Stdout);
        Assert.DoesNotContain("20990101-000000", list.Stdout);
        Assert.DoesNotContain("forged", list.Stdout);
        Assert.True(list.Stdout.Length < 10_000, $"{list.Stdout.Length} characters: a REVISION's size reached the output");
    }
}
