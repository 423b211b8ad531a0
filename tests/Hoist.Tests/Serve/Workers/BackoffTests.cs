namespace Hoist.Tests.Serve.Workers;

using Hoist.Serve.Workers;
using Microsoft.Extensions.Time.Testing;

public sealed class BackoffTests
{
    private readonly FakeTimeProvider clock = new();

    [Theory]
    [InlineData(1, 0.5, 500)]
    [InlineData(2, 0.5, 1000)]
    [InlineData(3, 0.5, 2000)]
    [InlineData(6, 0.5, 16000)]
    [InlineData(7, 0.5, 30000)]
    [InlineData(40, 0.5, 30000)]
    [InlineData(1, 0.0, 400)]
    [InlineData(1, 1.0, 600)]
    [InlineData(7, 0.0, 24000)]
    public void Doubles_From_Half_A_Second_To_30_s_With_Jitter_Of_20_Percent(int failures, double random01, int expectedMs) =>
        Assert.Equal(expectedMs, Backoff.Delay(failures, random01).TotalMilliseconds, precision: 6);

    [Fact]
    public void Uses_Its_Random_Source_For_The_Jitter()
    {
        var draws = new Queue<double>([0.0, 1.0]);
        var backoff = new Backoff(clock, draws.Dequeue);

        Assert.Equal(TimeSpan.FromMilliseconds(400), backoff.Failed(null));
        Assert.Equal(TimeSpan.FromMilliseconds(1200), backoff.Failed(null));
    }

    [Fact]
    public void Counts_Failures_In_A_Row_And_Is_Errored_After_5()
    {
        var backoff = new Backoff(clock, () => 0.5);
        var delays = Enumerable.Range(0, 5).Select(_ => backoff.Failed(null).TotalSeconds).ToList();

        Assert.Equal([0.5, 1, 2, 4, 8], delays);
        Assert.Equal(5, backoff.Failures);
        Assert.True(backoff.Errored);
    }

    [Fact]
    public void Starts_Again_From_The_First_Delay_After_A_Worker_Stayed_Up_Longer_Than_StableAfter()
    {
        var backoff = new Backoff(clock, () => 0.5);
        for (var i = 0; i < 6; i++)
        {
            backoff.Failed(null);
        }

        var readyAt = clock.GetUtcNow();
        clock.Advance(Backoff.StableAfter + TimeSpan.FromSeconds(1));
        var delay = backoff.Failed(readyAt);

        Assert.Equal(Backoff.First, delay);
        Assert.Equal(1, backoff.Failures);
        Assert.False(backoff.Errored);
    }

    [Fact]
    public void Keeps_Counting_When_The_Worker_Crashed_Before_StableAfter()
    {
        var backoff = new Backoff(clock, () => 0.5);
        backoff.Failed(null);
        var readyAt = clock.GetUtcNow();
        clock.Advance(Backoff.StableAfter - TimeSpan.FromSeconds(1));

        Assert.Equal(TimeSpan.FromSeconds(1), backoff.Failed(readyAt));
        Assert.Equal(2, backoff.Failures);
    }
}
