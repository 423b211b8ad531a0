namespace Hoist.Tests.Serve.Workers;

using Hoist.Serve.Workers;

public sealed class RecyclerTests
{
    [Fact]
    public async Task A_Worker_Past_Max_Requests_With_Jitter_Is_Replaced_Once_On_Its_Own_Release()
    {
        // max-requests 100 and the jitter's draw at 0.5: 100 + 0.5 × 11 → recycled after 105.
        using var fixture = new SupervisorFixture(workers: 1, c => c with { MaxRequests = 100 });
        await fixture.Supervisor.StartAsync().WaitAsync(SupervisorFixture.Bound);
        var old = fixture.Supervisor.Slots[0].Current!;
        fixture.Runtime.Current = "/srv/app/releases/B"; // a deploy switched `current`, with no reload yet

        for (var i = 0; i < 104; i++)
        {
            Serve(fixture, old);
        }

        Assert.Single(fixture.Runtime.Started);
        for (var i = 0; i < 5; i++)
        {
            Serve(fixture, old);
        }

        await fixture.WaitUntilAsync(() => fixture.Runtime.Stops.Count == 1, "the old worker stopped");
        var fresh = fixture.Supervisor.Slots[0].Current!;
        Assert.Equal(105, old.RecycleAfter);
        Assert.Equal(2, fixture.Runtime.Started.Count);
        Assert.Equal(old, fixture.Runtime.Stops[0].Worker);
        Assert.Equal("/srv/app/releases/A", fresh.Release);
        Assert.Equal(1, fresh.Generation);
        Assert.Contains("recycling worker 1 (pid 1001, generation 1): served 105 requests (max-requests)", fixture.Log(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Worker_Past_Reload_On_Rss_Is_Replaced_And_One_Below_Is_Not()
    {
        using var fixture = new SupervisorFixture(workers: 2, c => c with { ReloadOnRssMiB = 200 });
        await fixture.Supervisor.StartAsync().WaitAsync(SupervisorFixture.Bound);
        var (fat, lean) = (fixture.Supervisor.Slots[0].Current!, fixture.Supervisor.Slots[1].Current!);
        fixture.Runtime.Rss[fat] = 201L * 1024 * 1024;
        fixture.Runtime.Rss[lean] = 199L * 1024 * 1024;

        fixture.Supervisor.Sample();
        await fixture.WaitUntilAsync(() => fixture.Runtime.Stops.Count == 1, "the fat worker stopped");

        Assert.Equal(fat, fixture.Runtime.Stops[0].Worker);
        Assert.Same(lean, fixture.Supervisor.Slots[1].Current);
        Assert.Equal(3, fixture.Runtime.Started.Count);
        Assert.Contains("resident memory 201 MiB > reload-on-rss 200 MiB", fixture.Log(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Recycle_Whose_Successor_Fails_Leaves_The_Worker_Serving()
    {
        using var fixture = new SupervisorFixture(workers: 1, c => c with { ReloadOnRssMiB = 200 });
        await fixture.Supervisor.StartAsync().WaitAsync(SupervisorFixture.Bound);
        var fat = fixture.Supervisor.Slots[0].Current!;
        fixture.Runtime.Rss[fat] = 300L * 1024 * 1024;
        fixture.Runtime.Readiness = _ => Task.FromResult((false, "exited with status 1 before becoming ready"));

        fixture.Supervisor.Sample();
        await fixture.WaitUntilAsync(() => fixture.Log().Contains("failed, it keeps serving", StringComparison.Ordinal), "the recycle failed");

        Assert.Same(fat, fixture.Supervisor.Slots[0].Current);
        Assert.Equal([fat], fixture.Supervisor.Routable);
    }

    private static void Serve(SupervisorFixture fixture, Worker worker)
    {
        worker.BeginRequest();
        worker.EndRequest();
        fixture.Supervisor.RequestDone(worker);
    }
}
