namespace Hoist.Tests.Integration.Attack;

using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// Attack on a marker value with a newline (issue 11 §7, the <c>step</c> key every script reports): a build command of
/// several lines (a YAML block, common) was echoed as its step whole, so its first line became the step and the
/// others came out as lines of the host's own output; a failure then named only the first line. The step is one
/// line, its line breaks shown as \n.
/// </summary>
public sealed class MultiLineBuildStepTests(ITestOutputHelper output) : SshdTest
{
    [Fact]
    public async Task A_Build_Command_Of_Two_Lines_Is_One_Step_Named_Whole()
    {
        Dir.Write("site/index.html", "v1");
        var project = Project.Create(Dir, Sshd, "upload: ./site", "build:\n  - |\n    echo first-line-ran\n    exit 3");

        var deploy = await project.HoistAsync("deploy");
        output.WriteLine(deploy.ToString());

        Assert.Equal(1, deploy.ExitCode);
        Assert.Contains(@"step 'build: echo first-line-ran\nexit 3' failed (exit 3)", deploy.Stderr);
        // Only the command's own output is the host's: no line of the command's text is shown as if the host printed it.
        Assert.DoesNotContain(deploy.All.Split('\n'), l => l.EndsWith("] exit 3", StringComparison.Ordinal));
        Assert.Contains("first-line-ran", deploy.Stdout);
    }
}
