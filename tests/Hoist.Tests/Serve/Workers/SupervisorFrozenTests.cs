namespace Hoist.Tests.Serve.Workers;

using Hoist.Serve;
using Hoist.Serve.Workers;

/// <summary>A ready worker the kernel holds stopped: shown frozen (not ready) at once, killed and restarted past the limit.</summary>
public sealed class SupervisorFrozenTests
{
    [Fact]
    public async Task A_Stopped_Worker_Shows_Frozen_Then_Is_Killed_And_Restarted_With_A_Restart_Counted()
    {
        using var fixture = new SupervisorFixture(workers: 2, c => c with { FrozenLimit = TimeSpan.FromSeconds(20) });
        await fixture.Supervisor.StartAsync().WaitAsync(SupervisorFixture.Bound);
        var (stopped, running) = (fixture.Supervisor.Slots[0].Current!, fixture.Supervisor.Slots[1].Current!);
        var status = new StatusBuilder(fixture.Config, fixture.Supervisor);
        fixture.Runtime.Frozen.Add(stopped);

        fixture.Supervisor.Sample();
        var frozen = status.Build();
        Assert.Equal(["frozen", "ready"], frozen.Workers.Select(w => w.State));
        Assert.Equal(
            $"worker 1 (pid {stopped.Pid}) is frozen: stopped by a signal (SIGSTOP?) since 12:00:00 UTC; hoist serve kills and restarts it 20 s after",
            frozen.Workers[0].Failure);
        Assert.Null(frozen.Workers[1].Failure);
        fixture.Clock.Advance(TimeSpan.FromSeconds(19));
        fixture.Supervisor.Sample();
        Assert.Empty(fixture.Runtime.Killed);

        fixture.Clock.Advance(TimeSpan.FromSeconds(1));
        fixture.Supervisor.Sample();
        Assert.Equal([stopped], fixture.Runtime.Killed);
        await fixture.AdvanceUntilAsync(() => fixture.Supervisor.Slots[0].Current is { State: WorkerState.Ready } w && w != stopped, "slot 1 restarted");

        var back = status.Build();
        Assert.Equal(["ready", "ready"], back.Workers.Select(w => w.State));
        Assert.Equal(1, back.Workers[0].Restarts);
        Assert.Equal(0, back.Workers[1].Restarts);
        Assert.Same(running, fixture.Supervisor.Slots[1].Current);
        Assert.Contains($"{stopped} has been stopped by a signal (frozen) for 20 s or more; killing it (SIGKILL) to restart it", fixture.Log(), StringComparison.Ordinal);
    }
}
