using Hoist.Remote;

namespace Hoist.Tests.Remote;

public sealed class KeepAliveCounterTests
{
    [Fact]
    public void Sends_Count_KeepAlives_Then_Gives_Up_On_The_Next_Interval()
    {
        var counter = new KeepAliveCounter(TimeSpan.FromSeconds(15), 3);

        Assert.Equal([true, true, true, false], Enumerable.Range(0, 4).Select(_ => counter.Tick()));
    }

    [Fact]
    public void A_Reply_Starts_The_Count_Again()
    {
        var counter = new KeepAliveCounter(TimeSpan.FromSeconds(15), 3);
        counter.Tick();
        counter.Tick();
        counter.Tick();

        counter.Answered();

        Assert.Equal([true, true, true, false], Enumerable.Range(0, 4).Select(_ => counter.Tick()));
    }

    [Theory]
    [InlineData(15, 3, "host stopped answering: no reply to 3 keep-alives in 45 s")]
    [InlineData(1, 1, "host stopped answering: no reply to 1 keep-alive in 1 s")]
    public void Verdict_Says_How_Many_And_How_Long(int seconds, int count, string expected) =>
        Assert.Equal(expected, new KeepAliveCounter(TimeSpan.FromSeconds(seconds), count).Verdict);
}
