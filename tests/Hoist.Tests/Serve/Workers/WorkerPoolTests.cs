namespace Hoist.Tests.Serve.Workers;

using Hoist.Serve.Workers;

public sealed class WorkerPoolTests
{
    private static readonly GenerationRelease Release = new(1, "/srv/app/releases/A", []);

    [Fact]
    public void A_Worker_Whose_Process_Already_Ended_Is_Neither_Registered_Nor_Put_In_Its_Slot()
    {
        using var fixture = new SupervisorFixture(workers: 1);
        var pool = new WorkerPool(1, fixture.Runtime, () => new Backoff(fixture.Clock, () => 0.5));
        var worker = fixture.Runtime.Create(1, Release, 0);
        worker.State = WorkerState.Ready;
        pool.Forget(worker); // its Exited event came first

        Assert.False(pool.Register(worker));
        Assert.False(pool.Install(pool[1], worker, Release));
        Assert.Empty(pool.Live);
        Assert.Empty(pool.Routable);
        Assert.True(pool.NoneReady.WaitOne(0));
    }

    [Fact]
    public void Install_From_A_Restart_Puts_A_Ready_Worker_In_Rotation_And_Ends_The_Slots_Restarting_And_Failure()
    {
        using var fixture = new SupervisorFixture(workers: 1);
        var pool = new WorkerPool(1, fixture.Runtime, () => new Backoff(fixture.Clock, () => 0.5));
        var slot = pool[1];
        Assert.True(pool.BeginRestart(slot));
        Assert.False(pool.BeginRestart(slot));
        slot.LastFailure = "exited with status 3";
        slot.Errored = true;
        var worker = fixture.Runtime.Create(1, Release, 0);
        worker.State = WorkerState.Ready;

        Assert.True(pool.Register(worker));
        Assert.True(pool.Install(slot, worker, Release, endsRestart: true));

        Assert.False(slot.Restarting);
        Assert.False(slot.Errored);
        Assert.Null(slot.LastFailure);
        Assert.Equal(Release, slot.Release);
        Assert.Equal([worker], pool.Routable);
        Assert.False(pool.NoneReady.WaitOne(0));
        pool.Close();
        pool.Publish();
        Assert.Empty(pool.Routable);
    }

    [Fact]
    public void Install_From_A_Reload_Leaves_A_Waiting_Restart_Loop_In_Charge_Of_The_Slot()
    {
        using var fixture = new SupervisorFixture(workers: 1);
        var pool = new WorkerPool(1, fixture.Runtime, () => new Backoff(fixture.Clock, () => 0.5));
        var slot = pool[1];
        Assert.True(pool.BeginRestart(slot));
        var worker = fixture.Runtime.Create(1, Release, 0);
        worker.State = WorkerState.Ready;

        Assert.True(pool.Install(slot, worker, Release));

        // Should the reload's worker die before that loop wakes, the loop (not a second one) brings the slot back.
        Assert.True(slot.Restarting);
        Assert.False(pool.BeginRestart(slot));
    }
}
