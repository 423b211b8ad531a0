using Hoist.Remote;
using Microsoft.Extensions.Time.Testing;

namespace Hoist.Tests.Remote;

public sealed class KeepAliveTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_Host_That_Never_Answers_Is_Gone_After_Count_Unanswered_Intervals()
    {
        var clock = new FakeTimeProvider();
        using var sent = new SemaphoreSlim(0);
        using var keepAlive = new KeepAlive(Interval, 3, () => sent.Release(), clock);

        for (var i = 0; i < 3; i++)
        {
            clock.Advance(Interval);
            Assert.True(await sent.WaitAsync(TimeSpan.FromSeconds(10)), $"keep-alive {i + 1} was not sent");
            Assert.False(keepAlive.Gone.IsCompleted);
        }

        clock.Advance(Interval);

        Assert.Equal("host stopped answering: no reply to 3 keep-alives in 45 s", await keepAlive.Gone.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_Host_That_Answers_Is_Never_Gone()
    {
        var clock = new FakeTimeProvider();
        KeepAlive? keepAlive = null;
        // The host answers each keep-alive as it arrives.
        keepAlive = new KeepAlive(Interval, 1, () => keepAlive!.Answered(), clock);
        using var _ = keepAlive;

        for (var i = 0; i < 20; i++)
        {
            clock.Advance(Interval);
            // The next interval only once this send has finished (a send still under way is not repeated).
            var real = System.Diagnostics.Stopwatch.StartNew();
            while (keepAlive.Sent < i + 1)
            {
                Assert.True(real.Elapsed < TimeSpan.FromSeconds(10), $"keep-alive {i + 1} was not sent");
                await Task.Delay(1);
            }
        }

        Assert.False(keepAlive.Gone.IsCompleted);
    }

    [Fact]
    public async Task A_Send_Stuck_On_A_Full_Socket_Still_Counts_Its_Intervals()
    {
        var clock = new FakeTimeProvider();
        using var stuck = new ManualResetEventSlim();
        using var sending = new SemaphoreSlim(0);
        var sends = 0;
        using var keepAlive = new KeepAlive(Interval, 2, () => { Interlocked.Increment(ref sends); sending.Release(); stuck.Wait(); }, clock);

        clock.Advance(Interval);
        Assert.True(await sending.WaitAsync(TimeSpan.FromSeconds(10)));
        clock.Advance(Interval);
        clock.Advance(Interval);

        Assert.Equal("host stopped answering: no reply to 2 keep-alives in 30 s", await keepAlive.Gone.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(1, sends);
        stuck.Set();
    }
}
