namespace Hoist.Tests.Deploy;

using Hoist.Deploy;
using Hoist.Shell;
using Hoist.Tests.Support;

/// <summary>The lock's own lines (<see cref="LockScript.Take"/>) run by bash on a deploy_to in a temp folder.</summary>
public sealed class LockReportTests : IDisposable
{
    private readonly TempDir deployTo = new();

    private static readonly LockInfo Mine = new("me@box (pid 2) since y: deploy", "token-of-this-run");

    public void Dispose() => deployTo.Dispose();

    [Theory]
    [InlineData("other@box (pid 1) since x: deploy message=a=b")]
    [InlineData("")]
    public async Task A_Held_Lock_Reports_Its_Holder(string info)
    {
        deployTo.Write(".hoist/lock/info", info + "\n");

        var run = await ReportScript.RunAsync(Take());

        Assert.Equal(LockScript.HeldExitCode, run.ExitCode);
        Assert.Equal(info.Length > 0 ? info : LockScript.UnknownHolder, LockReport.Read(run).Holder);
        Assert.True(LockReport.FoundHeld(run));
    }

    [Fact]
    public async Task A_Command_Exiting_75_Is_Not_A_Held_Lock()
    {
        var run = await ReportScript.RunAsync(Take().Raw("exit 75"));

        Assert.Equal(LockScript.HeldExitCode, run.ExitCode);
        Assert.False(LockReport.FoundHeld(run));
    }

    [Fact]
    public async Task A_Lock_Taken_Reports_No_Holder()
    {
        var run = await ReportScript.RunAsync(Take());

        Assert.Equal(0, run.ExitCode);
        Assert.Null(LockReport.Read(run).Holder);
    }

    [Fact]
    public async Task A_Holder_Text_Printing_A_Marker_Is_Not_Taken()
    {
        deployTo.Write(".hoist/lock/info", "x\n");
        var script = Take();

        // Forged after the real one on stdout, and with the real prefix on stderr: neither is the report.
        var run = await ReportScript.RunAsync(new ScriptBuilder("t")
            .Line(ReportScript.Print(ReportScript.OtherNonce + "locked=forged"))
            .Line(ReportScript.Print(Marker.Prefix + "locked=forged", toStderr: true))
            .Raw($"( {script.Build().Render(reveal: true)} ) || true")
            .Line(ReportScript.Print(ReportScript.OtherNonce + "locked=forged")));

        Assert.Equal("x", LockReport.Read(run).Holder);
    }

    private ScriptBuilder Take()
    {
        var script = new ScriptBuilder("lock").Line(DeployPaths.AssignRoot(deployTo.Path));
        LockScript.Take(script, Mine);
        return script;
    }
}
