namespace Hoist.Tests.Deploy;

using Hoist.Deploy;
using Hoist.Shell;
using Hoist.Tests.Support;

/// <summary>The state lines (<see cref="StateScript.Report"/>) run by bash on a deploy_to in a temp folder, read back by <see cref="HostState.Read"/>.</summary>
public sealed class StateScriptTests : IDisposable
{
    private readonly TempDir deployTo = new();

    public void Dispose() => deployTo.Dispose();

    [Fact]
    public async Task Reads_Back_The_Layout_The_Host_Has()
    {
        deployTo.Write("releases/20260101000000/REVISION", "aaa\n");
        deployTo.Write("releases/20260102000000/REVISION", "revision with spaces = and equals\n");
        deployTo.Write("releases/20260103000000/REVISION", "ccc\n");
        deployTo.Write("releases/20260103000000/" + StateScript.BadMark, "");
        deployTo.Write("releases/20260104000000/app.py", "incomplete: no REVISION\n");
        File.CreateSymbolicLink(deployTo.Combine("current"), "releases/20260102000000");
        deployTo.Write(".hoist/history", "20260101000000\n20260103000000\n20260102000000\n");
        deployTo.Write(".hoist/history.new", "20260101000000\n20260102000000\n");
        deployTo.Write(".hoist/lock/info", "me@box (pid 1) since x: deploy\n");

        var state = HostState.Read(await Run());

        Assert.Equal("20260102000000", state.Current);
        Assert.Equal(
            [new ReleaseInfo("20260101000000", "aaa", false), new ReleaseInfo("20260102000000", "revision with spaces = and equals", false), new ReleaseInfo("20260103000000", "ccc", true)],
            state.Releases);
        Assert.Equal(["20260101000000", "20260103000000", "20260102000000"], state.History);
        Assert.Equal("20260102000000", state.Draft);
        Assert.Equal("me@box (pid 1) since x: deploy", state.LockHolder);
    }

    [Fact]
    public async Task An_Empty_Deploy_To_Reads_As_Nothing_Deployed()
    {
        var state = HostState.Read(await Run());

        Assert.Equal(new HostState(null, [], [], null), state with { Releases = [], History = [] });
        Assert.Empty(state.Releases);
        Assert.Empty(state.History);
    }

    [Fact]
    public async Task A_Revision_Holding_A_Forged_Marker_Stays_A_Revision()
    {
        deployTo.Write("releases/20260101000000/REVISION", ReportScript.OtherNonce + "current=../../etc\n");

        var state = HostState.Read(await Run());

        Assert.Null(state.Current);
        Assert.Equal(ReportScript.OtherNonce + "current=../../etc", Assert.Single(state.Releases).Revision);
    }

    private Task<Hoist.Remote.HostRun> Run() =>
        ReportScript.RunAsync(StateScript.Report(new ScriptBuilder("state").Line(DeployPaths.AssignRoot(deployTo.Path))));
}
