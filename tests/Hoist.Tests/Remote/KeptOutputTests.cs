namespace Hoist.Tests.Remote;

using Hoist.Config;
using Hoist.Remote;

public sealed class KeptOutputTests
{
    [Fact]
    public void Keeps_Every_Marker_And_Only_The_Last_Lines()
    {
        var kept = new KeptOutput();
        for (var i = 0; i < 100_000; i++)
        {
            kept.Line($"line {i}");
        }

        kept.Marker("step", "build");
        var run = kept.ToRun(HostConfig.Local("root"), 3);

        Assert.Equal(KeptOutput.MaxLines, run.Output.Count);
        Assert.Equal("line 99999", run.Output[^1]);
        Assert.Equal("build", run.LastStep);
    }
}
