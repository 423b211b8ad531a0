namespace Hoist.Tests.Serve.Workers;

using Hoist.Serve.Workers;

public sealed class RestartLoopTests
{
    [Fact]
    public async Task A_Crashed_Worker_Is_Restarted_After_Its_Backoff_With_Jitter()
    {
        using var fixture = new SupervisorFixture(workers: 1, random01: 1.0);
        await fixture.Supervisor.StartAsync().WaitAsync(SupervisorFixture.Bound);
        var first = fixture.Supervisor.Slots[0].Current!;

        var crashedAt = fixture.Clock.GetUtcNow();
        fixture.Runtime.Exit(first, 1);
        Assert.Empty(fixture.Supervisor.Routable);
        await fixture.AdvanceUntilAsync(() => fixture.Supervisor.Routable.Count == 1, "slot 1 back", TimeSpan.FromMilliseconds(10));

        // 0.5 s, +20% at the top of the jitter; the clock never lets it start earlier (later only by the test's steps).
        var back = fixture.Supervisor.Slots[0].Current!;
        Assert.Contains("restarting worker 1 in 0.6 s", fixture.Log(), StringComparison.Ordinal);
        Assert.True(back.StartedAt - crashedAt >= TimeSpan.FromMilliseconds(600), $"restarted {back.StartedAt - crashedAt} after the crash");
        Assert.NotSame(first, back);
        Assert.Equal(1, fixture.Supervisor.Slots[0].Restarts);
    }

    [Fact]
    public async Task A_Slot_Failing_5_Times_In_A_Row_Is_Errored_Keeps_Retrying_And_Is_Cleared_By_A_Ready_Worker()
    {
        using var fixture = new SupervisorFixture(workers: 1);
        await fixture.Supervisor.StartAsync().WaitAsync(SupervisorFixture.Bound);
        var slot = fixture.Supervisor.Slots[0];
        var healthy = true;
        fixture.Runtime.Readiness = _ => Task.FromResult(healthy ? (true, "") : (false, "exited with status 3 before becoming ready"));
        healthy = false;

        fixture.Runtime.Exit(slot.Current!, 3);
        await fixture.AdvanceUntilAsync(() => slot.Errored, "slot 1 errored", TimeSpan.FromMilliseconds(500));
        var atErrored = slot.Restarts;
        healthy = true;
        await fixture.AdvanceUntilAsync(() => fixture.Supervisor.Routable.Count == 1, "slot 1 back", TimeSpan.FromMilliseconds(500));

        Assert.Equal(4, atErrored); // the crash, then four restarts that never got ready: five failures in a row
        Assert.Contains("worker 1 is errored: 5 failures in a row", fixture.Log(), StringComparison.Ordinal);
        Assert.False(slot.Errored);
        Assert.Null(slot.LastFailure);
        Assert.Equal(5, slot.Restarts);
    }

    [Fact]
    public async Task A_Crashed_Old_Worker_After_A_Failed_Reload_Restarts_On_Its_Own_Release_Not_Current()
    {
        using var fixture = new SupervisorFixture(workers: 2);
        await fixture.Supervisor.StartAsync().WaitAsync(SupervisorFixture.Bound);
        fixture.Runtime.Current = "/srv/app/releases/B";
        fixture.Runtime.Readiness = w => Task.FromResult(w.Release.EndsWith('B') ? (false, "exited with status 3 before becoming ready") : (true, ""));
        var reload = await fixture.Supervisor.RequestReload("SIGHUP").WaitAsync(SupervisorFixture.Bound);
        var old = fixture.Supervisor.Slots[0].Current!;

        fixture.Runtime.Exit(old, 137);
        await fixture.AdvanceUntilAsync(() => fixture.Supervisor.Routable.Count == 2, "slot 1 back");

        var back = fixture.Supervisor.Slots[0].Current!;
        Assert.False(reload.Ok);
        Assert.NotSame(old, back);
        Assert.Equal("/srv/app/releases/A", back.Release);
        Assert.Equal(1, back.Generation);
        Assert.Equal(2, fixture.Runtime.Resolves); // the first start and the reload; no restart resolves `current` again
    }

    [Fact]
    public async Task A_Worker_Dying_Right_After_Its_Restart_Put_It_In_Rotation_Is_Restarted_Again()
    {
        using var fixture = new SupervisorFixture(workers: 1);
        await fixture.Supervisor.StartAsync().WaitAsync(SupervisorFixture.Bound);
        var slot = fixture.Supervisor.Slots[0];
        var first = slot.Current!;
        Worker? killed = null;
        // Dies the moment its restart publishes it: inside the restart loop, before that loop has returned.
        fixture.Supervisor.Pool.Published += () =>
        {
            if (killed is null && slot.Current is { } now && now != first && fixture.Supervisor.Routable.Contains(now))
            {
                killed = now;
                fixture.Runtime.Exit(now, 137);
            }
        };

        fixture.Runtime.Exit(first, 137);
        await fixture.AdvanceUntilAsync(() => killed is not null && slot.Current is { Gone: false, State: WorkerState.Ready } w && w != killed, "slot 1 back after the second death");

        Assert.Equal(3, fixture.Runtime.Started.Count);
        Assert.Equal(2, slot.Restarts);
        Assert.Single(fixture.Supervisor.Routable);
    }
}
