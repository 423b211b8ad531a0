namespace Hoist.Tests.Deploy;

using Hoist.Config;
using Hoist.Deploy;
using Hoist.Remote;

public sealed class HostStateTests
{
    private static readonly HostConfig Host = HostConfig.Local("root");

    [Fact]
    public void Parses_Current_Releases_And_Lock()
    {
        var run = HostRun.From(Host, 0, [
            "::hoist:: current=20260102000000",
            "::hoist:: release=20260101000000 aaa ok",
            "::hoist:: release=20260103000000 ccc bad",
            "::hoist:: release=20260102000000 bbb ok",
            "some output",
            "::hoist:: lock=me@box (pid 1) since x: deploy",
        ]);

        var state = HostState.From(run);

        Assert.Equal("20260102000000", state.Current);
        Assert.Equal(["20260101000000", "20260102000000", "20260103000000"], state.Releases.Select(r => r.Id));
        Assert.True(state.Releases[2].Bad);
        Assert.Equal("me@box (pid 1) since x: deploy", state.LockHolder);
        Assert.Equal(["some output"], run.Output);
    }

    [Fact]
    public void PreviousGood_Skips_Bad_Releases()
    {
        var state = new HostState("4", [new("1", "a", false), new("2", "b", false), new("3", "c", true), new("4", "d", false)], null);

        Assert.Equal("2", state.PreviousGood()?.Id);
    }

    [Fact]
    public void PreviousGood_Is_Null_At_The_Oldest() =>
        Assert.Null(new HostState("1", [new("1", "a", false)], null).PreviousGood());
}
