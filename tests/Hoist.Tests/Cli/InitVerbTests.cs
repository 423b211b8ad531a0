namespace Hoist.Tests.Cli;

using Hoist.Tests.Support;

/// <summary>The hoist executable's init verb at its edges: its help, a bad template, a file it will not replace.</summary>
public sealed class InitVerbTests
{
    [Fact]
    public async Task Help_Names_The_Kinds_And_The_Options()
    {
        using var dir = new TempDir();
        var result = await HoistCli.RunAsync(dir.Path, "init", "--help");
        var help = System.Text.RegularExpressions.Regex.Replace(result.Stdout, @"\s+", " ");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("--template <flask|django|aspnet|node>", help, StringComparison.Ordinal);
        foreach (var option in new[] { "--web", "--db", "--lb", "--repo", "--ssh-key", "--known-hosts", "--server-name", "--app", "--force" })
        {
            Assert.Contains(option + " ", help, StringComparison.Ordinal);
        }

        Assert.Contains("Never replaces a file without --force", help, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_Template_Exits_2_Naming_The_Kinds()
    {
        using var dir = new TempDir();
        var result = await HoistCli.RunAsync(dir.Path, "init", "--template", "rails");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--template 'rails': write flask, django, aspnet or node", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public async Task Existing_Config_Exits_2_And_Stays_As_It_Was()
    {
        using var dir = new TempDir();
        dir.Write("wsgi.py", "app = Flask(__name__)\n");
        dir.Write("hoist.yml", "app: mine\n");

        var result = await HoistCli.RunAsync(dir.Path, "init");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"error: {dir.Combine("hoist.yml")} already exists: hoist init never replaces a file", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("app: mine\n", File.ReadAllText(dir.Combine("hoist.yml")));
    }

    [Fact]
    public async Task Placeholder_Config_Is_Refused_By_Check_Naming_Line_And_Option()
    {
        using var dir = new TempDir();
        var init = await HoistCli.RunAsync(dir.Path, "init", "--template", "node");
        var check = await HoistCli.RunAsync(dir.Path, "check");

        Assert.Equal(0, init.ExitCode);
        Assert.Equal(2, check.ExitCode);
        Assert.Matches(@"error: \S*hoist\.yml:\d+:\d+: repo: 'git@CHANGE-ME:you/app\.git' is a placeholder written by hoist init", check.Stderr);
        Assert.Matches(@"error: \S*hoist\.yml:\d+:\d+: hosts\.web\[0\]: 'root@CHANGE-ME-web-host' is a placeholder written by hoist init; .*--web USER@HOST", check.Stderr);
    }
}
