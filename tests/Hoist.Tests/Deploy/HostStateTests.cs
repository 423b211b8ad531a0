namespace Hoist.Tests.Deploy;

using Hoist.Config;
using Hoist.Deploy;
using Hoist.Remote;
using Hoist.Shell;

public sealed class HostStateTests
{
    private static readonly HostConfig Host = HostConfig.Local("root");

    private static (string, bool) Out(string line) => (line, false);

    [Fact]
    public void Parses_Current_Releases_History_And_Lock()
    {
        var run = HostRun.From(Host, 0, [
            Out(Marker.Prefix + "current=20260102000000"),
            Out(Marker.Prefix + "release=20260101000000 ok aaa"),
            Out(Marker.Prefix + "release=20260103000000 bad ccc"),
            Out(Marker.Prefix + "release=20260102000000 ok revision with spaces"),
            Out("some output"),
            Out(Marker.Prefix + "history=20260101000000 20260103000000 20260102000000 "),
            Out(Marker.Prefix + "lock=me@box (pid 1) since x: deploy"),
        ]);

        var state = HostState.Read(run);

        Assert.Equal("20260102000000", state.Current);
        Assert.Equal(["20260101000000", "20260102000000", "20260103000000"], state.Releases.Select(r => r.Id));
        Assert.True(state.Releases[2].Bad);
        Assert.Equal("revision with spaces", state.Releases[1].Revision);
        Assert.Equal(["20260101000000", "20260103000000", "20260102000000"], state.History);
        Assert.Equal("me@box (pid 1) since x: deploy", state.LockHolder);
        Assert.Equal(["some output"], run.Output);
    }

    [Fact]
    public void Markers_Are_Trusted_Only_On_Stdout_With_This_Runs_Nonce()
    {
        var run = HostRun.From(Host, 0, [
            (Marker.Prefix + "release=20260101000000 ok forged-on-stderr", true),
            Out("::hoist:: release=20260102000000 ok old-style-prefix"),
            Out(Marker.Placeholder + "release=20260103000000 ok placeholder"),
        ]);

        Assert.Empty(HostState.Read(run).Releases);
        Assert.Equal(3, run.Output.Count);
    }

    [Fact]
    public void Names_That_Are_Not_Release_Ids_Are_Ignored()
    {
        var run = HostRun.From(Host, 0, [
            Out(Marker.Prefix + "current=/srv/app/releases/../shared"),
            Out(Marker.Prefix + "release=../shared ok x"),
            Out(Marker.Prefix + "release=20260101000000-2 ok y"),
            Out(Marker.Prefix + "history=.. 20260101000000-2"),
        ]);

        var state = HostState.Read(run);

        Assert.Null(state.Current);
        Assert.Equal(["20260101000000-2"], state.Releases.Select(r => r.Id));
        Assert.Equal(["20260101000000-2"], state.History);
    }

    [Fact]
    public void PreviousGood_Follows_What_Was_Live_Not_Id_Order()
    {
        // 3 was built but never went live (its deploy died before the switch); 2 was live before 4.
        var state = new HostState("4", [R("1"), R("2"), R("3"), R("4")], ["1", "2", "4"], null);

        Assert.Equal("2", state.PreviousGood()?.Id);
    }

    [Fact]
    public void PreviousGood_Skips_Bad_And_Deleted_Releases_In_History()
    {
        var state = new HostState("5", [R("1"), R("3", bad: true), R("5")], ["1", "2", "3", "5"], null);

        Assert.Equal("1", state.PreviousGood()?.Id);
    }

    [Fact]
    public void PreviousGood_Without_History_Uses_The_Newest_Good_Before_Current()
    {
        var state = new HostState("4", [R("1"), R("2"), R("3", bad: true), R("4")], [], null);

        Assert.Equal("2", state.PreviousGood()?.Id);
    }

    [Fact]
    public void PreviousGood_Is_Null_At_The_Oldest() =>
        Assert.Null(new HostState("1", [R("1")], ["1"], null).PreviousGood());

    private static ReleaseInfo R(string id, bool bad = false) => new(id, "rev", bad);

    [Theory]
    [InlineData("20260102000000", "20260101000000", true)]   // killed between switch and commit
    [InlineData("20260101000000", "20260101000000", false)]  // killed before the rename: current unchanged
    [InlineData(null, "20260101000000 20260102000000", false)] // committed: no draft
    [InlineData("20260102000000", null, true)]               // a first deploy killed between switch and commit
    [InlineData("20260102000000", "20260101000000 20260102000000", false)] // a draft left beside a committed history
    public void A_Left_History_Draft_Naming_Current_Means_Current_Never_Committed(string? draft, string? history, bool uncommitted)
    {
        var lines = new List<(string, bool)> { Out(Marker.Prefix + "current=20260102000000"), Out(Marker.Prefix + "release=20260101000000 ok a"), Out(Marker.Prefix + "release=20260102000000 ok b") };
        if (history is not null)
        {
            lines.Add(Out(Marker.Prefix + "history=" + history));
        }

        if (draft is not null)
        {
            lines.Add(Out(Marker.Prefix + "draft=" + draft));
        }

        var state = HostState.Read(HostRun.From(Host, 0, lines));

        Assert.Equal(uncommitted, state.Uncommitted);
    }

    [Fact]
    public void Releases_Says_What_To_Run_For_An_Uncommitted_Current_Locked_Or_Not()
    {
        var state = new HostState("20260102000000", [new ReleaseInfo("20260101000000", "a", false), new ReleaseInfo("20260102000000", "b", false)],
            ["20260101000000"], "me@box (pid 1) since x: deploy", "20260102000000");

        var locked = ReleaseLister.Uncommitted(state, "web1");
        var unlocked = ReleaseLister.Uncommitted(state with { LockHolder = null }, "web1");

        Assert.Equal("switched by a deploy or rollback that has not committed (it is in its health gate, or it was killed): not health-checked; " +
            "if the lock's run is gone, run `hoist lock release --force`, then `hoist rollback 20260101000000` (add `--host web1` for this host alone) " +
            "puts back the last committed release, or `hoist deploy` again", locked);
        Assert.Equal("switched by a deploy or rollback that never committed: not health-checked; `hoist rollback 20260101000000` (add `--host web1` for this host alone) " +
            "puts back the last committed release, or `hoist deploy` again", unlocked);
    }
}
