namespace Hoist.Tests.Integration;

using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>A build command with a shell syntax error is named, whether this machine's bash catches it or the host's.</summary>
public sealed class BuildSyntaxTests(ITestOutputHelper output) : SshdTest
{
    private const string Broken = "if then fi";

    [Fact]
    public async Task Syntax_Error_Is_A_Config_Error_Naming_The_Command()
    {
        Dir.Write("publish/a.txt", "a");
        var project = Project.Create(Dir, Sshd, "upload: ./publish", $"build: [make, '{Broken}']");

        var deploy = await project.HoistAsync("deploy");

        output.WriteLine(deploy.ToString());
        Assert.Equal(2, deploy.ExitCode); // a config error
        Assert.Contains($"{project.ConfigPath}:7:15: build[1]: shell syntax error in '{Broken}': line 1: syntax error near unexpected token `then'", deploy.Stderr);
        Assert.False(Directory.Exists(project.DeployTo));
    }

    [Fact]
    public async Task Without_Bash_Here_The_Failing_Step_Is_Named_By_Its_Command()
    {
        Dir.Write("publish/a.txt", "a");
        var project = Project.Create(Dir, Sshd, "upload: ./publish", $"build: ['echo built', '{Broken}']");

        // No bash on this machine's PATH: the check at load is skipped and the host's bash meets the error.
        var deploy = await project.HoistAsync(new Dictionary<string, string> { ["PATH"] = Dir.Combine("no-bash") }, "deploy");

        output.WriteLine(deploy.ToString());
        Assert.Equal(1, deploy.ExitCode);
        Assert.Contains($"step 'build: {Broken}' failed (exit 2)", deploy.Stderr);
        Assert.Contains("syntax error near unexpected token `then'", deploy.Stderr);
        Assert.Contains("built", deploy.Stdout);
        Assert.DoesNotContain("step ''", deploy.All);
        Assert.Empty(project.Releases());
    }
}
