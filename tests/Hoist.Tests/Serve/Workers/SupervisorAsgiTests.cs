namespace Hoist.Tests.Serve.Workers;

using Hoist.Serve.Config;
using Hoist.Serve.Workers;

/// <summary>
/// An ASGI app's reload: its old workers, told to stop, keep their WebSockets until the mercy time, so the reload
/// reports once the new workers are in rotation, not once the old ones have exited; a stop still waits for them.
/// </summary>
public sealed class SupervisorAsgiTests
{
    [Fact]
    public async Task A_Reload_Reports_While_The_Old_Asgi_Workers_Are_Still_Draining()
    {
        using var fixture = new SupervisorFixture(workers: 2, configure: c => c with { App = new WsgiApp(null, "app", "app", null) { Asgi = true } });
        await fixture.Supervisor.StartAsync().WaitAsync(SupervisorFixture.Bound);
        var old = fixture.Supervisor.Slots.Select(s => s.Current!).ToList();
        var draining = new TaskCompletionSource();
        fixture.Runtime.OnStop = _ => draining.Task;

        var outcome = await fixture.Supervisor.RequestReload("SIGHUP").WaitAsync(SupervisorFixture.Bound);

        Assert.True(outcome.Ok, outcome.Message);
        Assert.Equal(old, fixture.Runtime.Stops.Select(s => s.Worker));
        Assert.All(old, w => Assert.False(fixture.Runtime.HasExited(w)));
        Assert.All(fixture.Supervisor.Slots, s => Assert.Equal(2, s.Current!.Generation));
        Assert.Empty(fixture.Runtime.Released.Intersect(old));

        draining.SetResult();
        await fixture.WaitUntilAsync(() => old.All(fixture.Runtime.Released.Contains), "the old workers released once they exited");
    }

    [Fact]
    public async Task A_Commit_Of_Held_Asgi_Workers_Answers_While_They_Still_Drain()
    {
        using var fixture = new SupervisorFixture(workers: 2, configure: c => c with { App = new WsgiApp(null, "app", "app", null) { Asgi = true } });
        await fixture.Supervisor.StartAsync().WaitAsync(SupervisorFixture.Bound);
        var old = fixture.Supervisor.Slots.Select(s => s.Current!).ToList();
        var draining = new TaskCompletionSource();
        fixture.Runtime.OnStop = _ => draining.Task;
        Assert.True((await fixture.Supervisor.RequestReload("deploy", TimeSpan.FromMinutes(5)).WaitAsync(SupervisorFixture.Bound)).Ok);
        Assert.Empty(fixture.Runtime.Stops);

        var commit = await fixture.Supervisor.CommitAsync().WaitAsync(SupervisorFixture.Bound);

        Assert.True(commit.Ok, commit.Message);
        Assert.Equal(old.ToHashSet(), fixture.Runtime.Stops.Select(s => s.Worker).ToHashSet());
        Assert.All(old, w => Assert.False(fixture.Runtime.HasExited(w)));
        draining.SetResult();
        await fixture.WaitUntilAsync(() => old.All(fixture.Runtime.Released.Contains), "the held workers released once they exited");
    }

    [Fact]
    public async Task A_Wsgi_Reload_Still_Waits_For_Each_Old_Worker_To_Exit()
    {
        using var fixture = new SupervisorFixture(workers: 1, configure: c => c with { App = new WsgiApp(null, "app", "app", null) });
        await fixture.Supervisor.StartAsync().WaitAsync(SupervisorFixture.Bound);
        var draining = new TaskCompletionSource();
        fixture.Runtime.OnStop = _ => draining.Task;

        var reload = fixture.Supervisor.RequestReload("SIGHUP");
        await fixture.WaitUntilAsync(() => fixture.Runtime.Stops.Count == 1, "the old worker told to stop");

        Assert.False(reload.IsCompleted);
        draining.SetResult();
        Assert.True((await reload.WaitAsync(SupervisorFixture.Bound)).Ok);
    }
}
