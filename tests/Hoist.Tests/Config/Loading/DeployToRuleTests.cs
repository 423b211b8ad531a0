namespace Hoist.Tests.Config.Loading;

using Hoist.Config.Loading;

public sealed class DeployToRuleTests
{
    [Theory]
    [InlineData("/srv/demo")]
    [InlineData("/var/www/demo")]
    [InlineData("/opt/demo")]
    [InlineData("/home/deploy/demo")]
    [InlineData("/root/demo")]
    [InlineData("/tmp/hoist-test-x/target")]
    [InlineData("/var/lib/demo")]
    [InlineData("~/demo")]
    [InlineData("~/apps/demo")]
    public void Accepts_A_Folder_Of_The_Apps_Own(string path) => Assert.Null(DeployToRule.Problem(path, "demo"));

    [Theory]
    [InlineData("/", "'/' is a system folder; deploy_to must be a folder of the app's own, at least two levels deep (e.g. /srv/demo or ~/demo)")]
    [InlineData("/srv", "'/srv' is a system folder; deploy_to must be a folder of the app's own, at least two levels deep (e.g. /srv/demo or ~/demo)")]
    [InlineData("/home", "'/home' is a system folder; deploy_to must be a folder of the app's own, at least two levels deep (e.g. /srv/demo or ~/demo)")]
    [InlineData("/etc/demo", "'/etc/demo' is inside /etc, which belongs to the system; put the app elsewhere (e.g. /srv/demo or ~/demo)")]
    [InlineData("/usr/local/demo", "'/usr/local/demo' is inside /usr, which belongs to the system; put the app elsewhere (e.g. /srv/demo or ~/demo)")]
    [InlineData("/bin/x", "'/bin/x' is inside /bin, which belongs to the system; put the app elsewhere (e.g. /srv/demo or ~/demo)")]
    [InlineData("/var/lib", "'/var/lib' is a system folder; deploy_to must be a folder of the app's own (/var/lib/demo or /srv/demo)")]
    [InlineData("/home/deploy", "'/home/deploy' is a user's home itself; use a folder inside it, e.g. /home/deploy/demo")]
    [InlineData("/srv/demo/", "'/srv/demo/' is not a normalized path (no '//', '.', '..' or trailing '/'); write '/srv/demo'")]
    [InlineData("//srv//demo", "'//srv//demo' is not a normalized path (no '//', '.', '..' or trailing '/'); write '/srv/demo'")]
    [InlineData("/srv/demo/../..", "'/srv/demo/../..' is not a normalized path (no '//', '.', '..' or trailing '/')")]
    [InlineData("/srv/./demo", "'/srv/./demo' is not a normalized path (no '//', '.', '..' or trailing '/'); write '/srv/demo'")]
    [InlineData("~/../..", "'~/../..' is not a normalized path (no '//', '.', '..' or trailing '/')")]
    public void Refuses_System_Folders_And_Unnormalized_Paths(string path, string problem) =>
        Assert.Equal(problem, DeployToRule.Problem(path, "demo"));
}
