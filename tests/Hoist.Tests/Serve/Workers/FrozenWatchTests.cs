namespace Hoist.Tests.Serve.Workers;

using Hoist.Serve.Workers;
using Microsoft.Extensions.Time.Testing;

public sealed class FrozenWatchTests
{
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void A_Stopped_Worker_Is_Frozen_From_The_First_Look_And_Due_Once_The_Limit_Has_Passed()
    {
        var watch = new FrozenWatch(clock, TimeSpan.FromSeconds(20));
        var (stopped, running) = (Worker(1), Worker(2));

        Assert.Empty(watch.Check([stopped, running], w => w == stopped));
        Assert.Equal(clock.GetUtcNow(), watch.FrozenSince(stopped));
        Assert.Null(watch.FrozenSince(running));
        clock.Advance(TimeSpan.FromSeconds(19.9));
        Assert.Empty(watch.Check([stopped, running], w => w == stopped));
        clock.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Equal([stopped], watch.Check([stopped, running], w => w == stopped));
    }

    [Fact]
    public void A_Worker_Continued_Or_No_Longer_Ready_Starts_Its_Time_Again()
    {
        var watch = new FrozenWatch(clock, TimeSpan.FromSeconds(20));
        var worker = Worker(1);
        watch.Check([worker], _ => true);
        clock.Advance(TimeSpan.FromSeconds(15));

        Assert.Empty(watch.Check([worker], _ => false)); // SIGCONT
        Assert.Null(watch.FrozenSince(worker));
        watch.Check([worker], _ => true);
        clock.Advance(TimeSpan.FromSeconds(15));
        Assert.Empty(watch.Check([worker], _ => true));
        Assert.Empty(watch.Check([], _ => true)); // out of rotation (a reload retires it): forgotten
        Assert.Null(watch.FrozenSince(worker));
    }

    [Theory]
    [InlineData("4242 (python3) S 1 4242 4242 0 -1", false)]
    [InlineData("4242 (python3) T 1 4242 4242 0 -1", true)]
    [InlineData("4242 (gdb target) t 1 4242 4242 0 -1", true)]
    [InlineData("4242 (a) T (b) R 1 4242", false)]
    [InlineData("4242 (x", false)]
    public void The_State_Is_Read_After_The_Last_Parenthesis_Of_The_Command_Name(string stat, bool stopped) =>
        Assert.Equal(stopped, ProcessState.IsStoppedState(stat));

    [Fact]
    public async Task A_Real_Process_Stopped_By_Sigstop_Reads_Stopped_And_After_Sigcont_Not()
    {
        using var sleep = System.Diagnostics.Process.Start("sleep", "30");
        try
        {
            Assert.False(ProcessState.IsStopped(sleep.Id));
            Assert.True(Hoist.Serve.Native.Kill(sleep.Id, 19)); // SIGSTOP
            // The stop is delivered asynchronously; bounded, not a fixed wait.
            var watch = System.Diagnostics.Stopwatch.StartNew();
            while (!ProcessState.IsStopped(sleep.Id) && watch.Elapsed < TimeSpan.FromSeconds(5))
            {
                await Task.Yield();
            }

            Assert.True(ProcessState.IsStopped(sleep.Id));
            Assert.True(Hoist.Serve.Native.Kill(sleep.Id, 18)); // SIGCONT
            watch.Restart();
            while (ProcessState.IsStopped(sleep.Id) && watch.Elapsed < TimeSpan.FromSeconds(5))
            {
                await Task.Yield();
            }

            Assert.False(ProcessState.IsStopped(sleep.Id));
        }
        finally
        {
            sleep.Kill();
        }
    }

    private static Worker Worker(int slot) => new(slot, 1, 10000 + slot, $"/fake/w{slot}.sock", "/srv/app/releases/A", 0);
}
