namespace Hoist.Tests.Serve.Workers;

using Hoist.Serve.Workers;

public sealed class RetirerTests
{
    private static readonly TimeSpan Mercy = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_Retiring_Worker_With_A_Request_That_Never_Ends_Gets_The_Whole_Mercy_Then_Sigterm_With_Mercy_As_Grace()
    {
        using var fixture = new SupervisorFixture(workers: 1, c => c with { Mercy = Mercy });
        var (retirer, worker) = await StartOneAsync(fixture);
        worker.BeginRequest();
        var began = fixture.Clock.GetUtcNow();

        var retiring = retirer.RetireAsync(worker);
        Assert.Equal(WorkerState.Retiring, worker.State);
        await fixture.AdvanceUntilAsync(() => fixture.Runtime.Stops.Count == 1, "the worker stopped", TimeSpan.FromSeconds(1));
        await retiring.WaitAsync(SupervisorFixture.Bound);

        var stop = Assert.Single(fixture.Runtime.Stops);
        // Not before the mercy time; after it by the test's steps only (never, say, a second mercy time).
        Assert.InRange(stop.At - began, Mercy, Mercy + TimeSpan.FromSeconds(5));
        Assert.Equal(Mercy, stop.Grace);
        Assert.Equal(Hoist.Serve.Native.SigTerm, stop.Signal);
        Assert.Equal(WorkerState.Stopped, worker.State);
        Assert.Contains(worker, fixture.Runtime.Forgotten);
    }

    [Fact]
    public async Task A_Retiring_Worker_Is_Stopped_As_Soon_As_Its_Last_In_Flight_Request_Ends()
    {
        using var fixture = new SupervisorFixture(workers: 1, c => c with { Mercy = Mercy });
        var (retirer, worker) = await StartOneAsync(fixture);
        worker.BeginRequest();
        worker.BeginRequest();
        var began = fixture.Clock.GetUtcNow();

        var retiring = retirer.RetireAsync(worker);
        fixture.Clock.Advance(TimeSpan.FromSeconds(2));
        worker.EndRequest();
        fixture.Clock.Advance(TimeSpan.FromSeconds(1));
        worker.EndRequest();
        await fixture.AdvanceUntilAsync(() => fixture.Runtime.Stops.Count == 1, "the worker stopped", Retirer.Poll);
        await retiring.WaitAsync(SupervisorFixture.Bound);

        Assert.InRange(fixture.Runtime.Stops[0].At - began, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(8));
    }

    private static async Task<(Retirer, Worker)> StartOneAsync(SupervisorFixture fixture)
    {
        await fixture.Supervisor.StartAsync().WaitAsync(SupervisorFixture.Bound);
        var worker = fixture.Supervisor.Slots[0].Current!;
        return (new Retirer(fixture.Runtime, fixture.Supervisor.Pool, fixture.Config.Mercy, fixture.Clock), worker);
    }
}
