namespace Hoist.Tests.Integration;

using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// deploy_to and its parents must be the login user's (or root's) and closed to others, as OpenSSH's StrictModes
/// asks of ~/.ssh: otherwise another local user could re-point <c>current</c> at their own code. Over a real sshd,
/// with a real second Unix user.
/// </summary>
public sealed class DeployToOwnershipTests(ITestOutputHelper output) : SshdTest
{
    public static TheoryData<string> Layouts() => ["owned-by-other-0777", "owned-by-other-0755", "root-0777", "parent-writable", "missing-under-sticky"];

    [Theory]
    [MemberData(nameof(Layouts))]
    public async Task Deploy_To_Open_To_Another_User_Is_Refused_By_Check_And_Deploy_Before_Anything_Is_Written(string layout)
    {
        Dir.Write("publish/app.txt", "app\n");
        await using var other = await OtherUser.CreateAsync();
        var parent = Dir.Combine("shared-space");
        Directory.CreateDirectory(parent);
        var deployTo = Path.Combine(parent, "app");
        var (setup, named) = layout switch
        {
            "owned-by-other-0777" => ($"mkdir -m 777 '{deployTo}' && chown {other.Name} '{deployTo}'", deployTo),
            "owned-by-other-0755" => ($"mkdir -m 755 '{deployTo}' && chown {other.Name} '{deployTo}'", deployTo),
            "root-0777" => ($"mkdir -m 777 '{deployTo}'", deployTo),
            "parent-writable" => ($"chmod 777 '{parent}' && mkdir -m 755 '{deployTo}'", parent),
            _ => ($"chmod 1777 '{parent}'", parent),
        };
        await Run.ShellAsync($"chmod 755 '{Dir.Path}' && {setup}");
        var project = Project.Create(Dir, Sshd, "upload: ./publish", deployTo: deployTo);

        var check = await project.HoistAsync("check");
        var deploy = await project.HoistAsync("deploy");

        var left = Directory.Exists(deployTo) ? Directory.GetFileSystemEntries(deployTo).Length : -1;
        output.WriteLine($"{layout}: check exit {check.ExitCode}, deploy exit {deploy.ExitCode}, entries in deploy_to after: {left}");
        output.WriteLine($"check:\n{check.All.Trim()}\ndeploy:\n{deploy.All.Trim()}");
        Assert.Equal(1, check.ExitCode);
        Assert.Contains($"{named} is ", check.All);
        Assert.Contains("chmod", check.All);
        Assert.Equal(1, deploy.ExitCode);
        Assert.Contains($"{named} is ", deploy.Stderr);
        Assert.Contains("error:", deploy.Stderr);
        Assert.True(left <= 0, $"{left} entries were written into {deployTo}");
    }

    [Fact]
    public async Task Deploy_To_Of_Its_Own_Under_A_Sticky_Shared_Folder_Deploys()
    {
        Dir.Write("publish/app.txt", "app\n");
        var parent = Dir.Combine("sticky");
        var deployTo = Path.Combine(parent, "app");
        await Run.ShellAsync($"chmod 755 '{Dir.Path}' && mkdir -m 1777 '{parent}' && mkdir -m 755 '{deployTo}'");
        var project = Project.Create(Dir, Sshd, "upload: ./publish", deployTo: deployTo);

        var check = await project.HoistAsync("check");
        var deploy = await project.HoistAsync("deploy");

        output.WriteLine($"check exit {check.ExitCode}, deploy exit {deploy.ExitCode}\n{check.All.Trim()}\n{deploy.All.Trim()}");
        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        Assert.Equal("app\n", File.ReadAllText(Path.Combine(deployTo, "current", "app.txt")));
    }
}
