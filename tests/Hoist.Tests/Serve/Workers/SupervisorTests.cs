namespace Hoist.Tests.Serve.Workers;

using Hoist.Serve.Workers;

public sealed class SupervisorTests
{
    [Fact]
    public async Task A_Reload_Resolves_Current_Once_And_Moves_Every_Slot_To_The_New_Release_And_Generation()
    {
        using var fixture = new SupervisorFixture(workers: 3);
        await fixture.Supervisor.StartAsync().WaitAsync(SupervisorFixture.Bound);
        fixture.Runtime.Current = "/srv/app/releases/B";

        var outcome = await fixture.Supervisor.RequestReload("SIGHUP").WaitAsync(SupervisorFixture.Bound);

        Assert.True(outcome.Ok, outcome.Message);
        Assert.Equal("reloaded: 3 worker(s) on generation 2", outcome.Message);
        Assert.All(fixture.Supervisor.Slots, s => Assert.Equal(("/srv/app/releases/B", 2), (s.Current!.Release, s.Current.Generation)));
        Assert.Equal(2, fixture.Runtime.Resolves);
        Assert.Equal(3, fixture.Runtime.Stops.Count);
        Assert.Equal(1, fixture.Supervisor.Reloads);
    }

    [Fact]
    public async Task A_Reload_Retires_The_Old_Worker_Only_After_Its_Successor_Is_In_Rotation()
    {
        using var fixture = new SupervisorFixture(workers: 1);
        await fixture.Supervisor.StartAsync().WaitAsync(SupervisorFixture.Bound);
        var old = fixture.Supervisor.Slots[0].Current!;
        var routableAtStop = new List<Worker>();
        fixture.Runtime.OnStop = w =>
        {
            routableAtStop.AddRange(fixture.Supervisor.Routable);
            return Task.CompletedTask;
        };

        var outcome = await fixture.Supervisor.RequestReload("SIGHUP").WaitAsync(SupervisorFixture.Bound);

        Assert.True(outcome.Ok, outcome.Message);
        var fresh = fixture.Supervisor.Slots[0].Current!;
        Assert.Equal([fresh], routableAtStop);
        Assert.Equal(old, Assert.Single(fixture.Runtime.Stops).Worker);
    }

    [Fact]
    public async Task A_Reload_Whose_New_Worker_Fails_Stops_There_Says_Why_With_Its_Lines_And_Keeps_The_Old_Workers()
    {
        using var fixture = new SupervisorFixture(workers: 2);
        await fixture.Supervisor.StartAsync().WaitAsync(SupervisorFixture.Bound);
        var before = fixture.Supervisor.Routable.ToList();
        fixture.Runtime.Current = "/srv/app/releases/B";
        fixture.Runtime.Readiness = w =>
        {
            w.Output.Add("B: DATABASE_URL is not set");
            return Task.FromResult((false, "exited with status 3 before becoming ready"));
        };

        var outcome = await fixture.Supervisor.RequestReload("control socket").WaitAsync(SupervisorFixture.Bound);

        Assert.False(outcome.Ok);
        Assert.Equal(
            "reload stopped: the new worker 1 exited with status 3 before becoming ready; the old workers keep serving\n  its last output:\n    B: DATABASE_URL is not set",
            outcome.Message);
        Assert.Equal(outcome, fixture.Supervisor.LastReload);
        Assert.Equal(before, fixture.Supervisor.Routable);
        Assert.Equal(3, fixture.Runtime.Started.Count); // slot 2 was never tried
    }

    [Fact]
    public async Task A_Reload_Whose_Release_Cannot_Be_Resolved_Fails_Without_Starting_Anything()
    {
        using var fixture = new SupervisorFixture(workers: 2);
        await fixture.Supervisor.StartAsync().WaitAsync(SupervisorFixture.Bound);
        fixture.Runtime.ResolveFails = new DirectoryNotFoundException("chdir /srv/app/current does not exist");

        var outcome = await fixture.Supervisor.RequestReload("SIGHUP").WaitAsync(SupervisorFixture.Bound);

        Assert.Equal("reload stopped: the new workers could not be started: chdir /srv/app/current does not exist; the old workers keep serving", outcome.Message);
        Assert.Equal(2, fixture.Runtime.Started.Count);
        Assert.Equal(2, fixture.Supervisor.Routable.Count);
    }

    [Fact]
    public async Task Stop_Retires_Every_Worker_And_Leaves_None_Routable_Or_Restarting()
    {
        using var fixture = new SupervisorFixture(workers: 2);
        await fixture.Supervisor.StartAsync().WaitAsync(SupervisorFixture.Bound);

        await fixture.Supervisor.StopAsync().WaitAsync(SupervisorFixture.Bound);

        Assert.Empty(fixture.Supervisor.Routable);
        Assert.Empty(fixture.Supervisor.Live);
        Assert.Equal(2, fixture.Runtime.Stops.Count);
        Assert.All(fixture.Supervisor.Slots, s => Assert.False(s.Restarting));
        Assert.True((await fixture.Supervisor.RequestReload("SIGHUP").WaitAsync(SupervisorFixture.Bound)).Abandoned);
    }

    [Fact]
    public async Task A_Worker_Leaves_Every_Hand_Released_Once_Retired_Failed_Or_Crashed_And_Replaced()
    {
        using var fixture = new SupervisorFixture(workers: 1);
        await fixture.Supervisor.StartAsync().WaitAsync(SupervisorFixture.Bound);
        var first = fixture.Supervisor.Slots[0].Current!;

        await fixture.Supervisor.RequestReload("SIGHUP").WaitAsync(SupervisorFixture.Bound);
        var second = fixture.Supervisor.Slots[0].Current!;
        Assert.Equal([first], fixture.Runtime.Released);

        fixture.Runtime.Readiness = _ => Task.FromResult((false, "exited with status 3 before becoming ready"));
        await fixture.Supervisor.RequestReload("SIGHUP").WaitAsync(SupervisorFixture.Bound);
        var failed = fixture.Runtime.Started[^1];
        Assert.Contains(failed, fixture.Runtime.Released);
        Assert.DoesNotContain(second, fixture.Runtime.Released); // still serving

        fixture.Runtime.Readiness = _ => Task.FromResult((true, ""));
        fixture.Runtime.Exit(second, 137);
        await fixture.AdvanceUntilAsync(() => fixture.Supervisor.Slots[0].Current is { Gone: false } w && w != second, "slot 1 back");
        Assert.Contains(second, fixture.Runtime.Released);
        Assert.DoesNotContain(fixture.Supervisor.Slots[0].Current!, fixture.Runtime.Released);
    }
}
