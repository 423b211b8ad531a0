namespace Hoist.Tests.Serve.Workers;

using Hoist.Serve.Workers;

/// <summary>A reload with a hold: the old workers kept alive out of rotation until a commit, a revert, or the hold's end.</summary>
public sealed class SupervisorHoldTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_Reload_With_A_Hold_Keeps_The_Old_Workers_Alive_Out_Of_Rotation_And_A_Commit_Stops_Them()
    {
        using var fixture = new SupervisorFixture(workers: 2);
        var old = await StartAsync(fixture);
        fixture.Runtime.Current = "/srv/app/releases/B";

        var outcome = await fixture.Supervisor.RequestReload("control socket", Minute).WaitAsync(SupervisorFixture.Bound);

        Assert.True(outcome.Ok, outcome.Message);
        Assert.Equal(
            "reloaded: 2 worker(s) on generation 2; the previous generation's are held until 2026-12-01T12:01:00Z (hoist serve --commit stops them, --revert puts them back)",
            outcome.Message);
        Assert.Empty(fixture.Runtime.Stops);
        Assert.All(old, w => Assert.Equal(WorkerState.Held, w.State));
        Assert.Equal(old.Select(w => ("pause", w)), fixture.Runtime.Pauses);
        Assert.Equal(4, fixture.Supervisor.Live.Count);
        Assert.All(fixture.Supervisor.Routable, w => Assert.Equal("/srv/app/releases/B", w.Release));
        Assert.Equal(fixture.Clock.GetUtcNow() + Minute, fixture.Supervisor.HeldUntil);

        var commit = await fixture.Supervisor.CommitAsync().WaitAsync(SupervisorFixture.Bound);

        Assert.Equal(new HoldOutcome(true, "committed: 2 held worker(s) of the previous generation stopped"), commit);
        Assert.Equal(old.ToHashSet(), fixture.Runtime.Stops.Select(s => s.Worker).ToHashSet());
        Assert.Null(fixture.Supervisor.HeldUntil);
        Assert.Equal(2, fixture.Supervisor.Live.Count);
        Assert.All(old, w => Assert.Contains(w, fixture.Runtime.Released));
    }

    [Fact]
    public async Task A_Revert_Puts_The_Held_Workers_Back_In_Rotation_On_The_Old_Release_And_Stops_The_New_Ones()
    {
        using var fixture = new SupervisorFixture(workers: 2);
        var old = await StartAsync(fixture);
        fixture.Runtime.Current = "/srv/app/releases/B";
        await fixture.Supervisor.RequestReload("control socket", Minute).WaitAsync(SupervisorFixture.Bound);
        var fresh = fixture.Supervisor.Routable.ToList();
        var startsBefore = fixture.Runtime.Started.Count;

        var revert = await fixture.Supervisor.RevertAsync().WaitAsync(SupervisorFixture.Bound);

        Assert.Equal(new HoldOutcome(true, "reverted: 2 held worker(s) back in rotation on /srv/app/releases/A"), revert);
        Assert.Equal(old, fixture.Supervisor.Routable);
        Assert.All(old, w => Assert.Equal(WorkerState.Ready, w.State));
        Assert.Equal(old.Select(w => ("resume", w)), fixture.Runtime.Pauses.Where(p => p.What == "resume"));
        await fixture.WaitUntilAsync(() => fixture.Supervisor.Live.Count == 2, "the new workers stopped after the answer");
        Assert.Equal(fresh.ToHashSet(), fixture.Runtime.Stops.Select(s => s.Worker).ToHashSet());
        Assert.Equal(startsBefore, fixture.Runtime.Started.Count); // nothing was started: the held workers serve at once
        Assert.Null(fixture.Supervisor.HeldUntil);

        // The slots' release went back too: a crash of a reverted worker restarts the old release, not `current`.
        fixture.Runtime.Exit(old[0], 137);
        await fixture.AdvanceUntilAsync(() => fixture.Supervisor.Slots[0].Current is { Gone: false } w && w != old[0], "slot 1 restarted");
        Assert.Equal("/srv/app/releases/A", fixture.Supervisor.Slots[0].Current!.Release);
    }

    [Theory]
    [InlineData("commit")]
    [InlineData("revert")]
    public async Task Once_Committed_Or_Reverted_The_Status_Says_Nothing_Is_Held(string end)
    {
        using var fixture = new SupervisorFixture(workers: 2);
        await StartAsync(fixture);
        fixture.Runtime.Current = "/srv/app/releases/B";
        await fixture.Supervisor.RequestReload("control socket", Minute).WaitAsync(SupervisorFixture.Bound);
        Assert.Contains("held: the previous generation's workers, until 2026-12-01T12:01:00Z", Status(fixture), StringComparison.Ordinal);

        var outcome = end == "commit"
            ? await fixture.Supervisor.CommitAsync().WaitAsync(SupervisorFixture.Bound)
            : await fixture.Supervisor.RevertAsync().WaitAsync(SupervisorFixture.Bound);

        Assert.True(outcome.Ok, outcome.Message);
        var status = Status(fixture);
        Assert.DoesNotContain("held", status, StringComparison.Ordinal);
        Assert.Contains("ok: reloaded: 2 worker(s) on generation 2", status, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Revert_With_Nothing_Held_Fails_And_Says_To_Reload_Instead()
    {
        using var fixture = new SupervisorFixture(workers: 2);
        await StartAsync(fixture);
        await fixture.Supervisor.RequestReload("SIGHUP").WaitAsync(SupervisorFixture.Bound); // no hold

        var revert = await fixture.Supervisor.RevertAsync().WaitAsync(SupervisorFixture.Bound);

        Assert.False(revert.Ok);
        Assert.Equal("nothing is held to revert to (no reload with a hold, or it was committed or ended); reload instead: hoist serve --reload", revert.Message);
        Assert.Equal(new HoldOutcome(true, "nothing is held: no reload with a hold is waiting for a commit"), await fixture.Supervisor.CommitAsync().WaitAsync(SupervisorFixture.Bound));
    }

    [Fact]
    public async Task A_Hold_That_Ends_By_Itself_Is_A_Commit()
    {
        using var fixture = new SupervisorFixture(workers: 2);
        var old = await StartAsync(fixture);
        await fixture.Supervisor.RequestReload("control socket", Minute).WaitAsync(SupervisorFixture.Bound);

        fixture.Clock.Advance(Minute - TimeSpan.FromSeconds(1));
        await Task.Delay(20);
        Assert.Empty(fixture.Runtime.Stops);
        var took = await fixture.AdvanceUntilAsync(() => fixture.Runtime.Stops.Count == 2, "the held workers stopped", TimeSpan.FromMilliseconds(200));

        Assert.Equal(old.ToHashSet(), fixture.Runtime.Stops.Select(s => s.Worker).ToHashSet());
        Assert.Null(fixture.Supervisor.HeldUntil);
        Assert.Contains("commit (the hold of 60 s ended): stopping 2 held worker(s)", fixture.Log());
        Assert.False((await fixture.Supervisor.RevertAsync().WaitAsync(SupervisorFixture.Bound)).Ok);
        Assert.True(took <= TimeSpan.FromSeconds(2), $"ended {took} after the last second");
    }

    [Fact]
    public async Task A_Held_Worker_That_Crashes_Is_Forgotten_And_A_Revert_Starts_Its_Slot_On_The_Previous_Release()
    {
        using var fixture = new SupervisorFixture(workers: 2);
        var old = await StartAsync(fixture);
        fixture.Runtime.Current = "/srv/app/releases/B";
        await fixture.Supervisor.RequestReload("control socket", Minute).WaitAsync(SupervisorFixture.Bound);
        var starts = fixture.Runtime.Started.Count;

        fixture.Runtime.Exit(old[0], 137);

        Assert.Contains("held worker 1", fixture.Log());
        Assert.Null(fixture.Supervisor.Slots[0].Held);
        Assert.Contains(old[0], fixture.Runtime.Released);
        Assert.Equal(starts, fixture.Runtime.Started.Count); // no restart of a held worker

        var revert = await fixture.Supervisor.RevertAsync().WaitAsync(SupervisorFixture.Bound);

        Assert.Equal(new HoldOutcome(true, "reverted: 1 held worker(s) back in rotation on /srv/app/releases/A, 1 started anew there (their held worker had died)"), revert);
        Assert.Same(old[1], fixture.Supervisor.Slots[1].Current);
        Assert.NotSame(old[0], fixture.Supervisor.Slots[0].Current);
        Assert.All(fixture.Supervisor.Routable, w => Assert.Equal("/srv/app/releases/A", w.Release));
        await fixture.WaitUntilAsync(() => fixture.Supervisor.Live.Count == 2, "the new worker stopped");
    }

    [Fact]
    public async Task A_Second_Reload_While_Workers_Are_Held_Commits_Them_First_And_Holds_Its_Own_Predecessors()
    {
        using var fixture = new SupervisorFixture(workers: 2);
        var first = await StartAsync(fixture);
        fixture.Runtime.Current = "/srv/app/releases/B";
        await fixture.Supervisor.RequestReload("control socket", Minute).WaitAsync(SupervisorFixture.Bound);
        var second = fixture.Supervisor.Routable.ToList();
        fixture.Runtime.Current = "/srv/app/releases/C";

        var outcome = await fixture.Supervisor.RequestReload("control socket", Minute).WaitAsync(SupervisorFixture.Bound);

        Assert.True(outcome.Ok, outcome.Message);
        Assert.Contains("a reload while workers are held: committing them first", fixture.Log());
        Assert.Equal(first.ToHashSet(), fixture.Runtime.Stops.Select(s => s.Worker).ToHashSet());
        Assert.Equal(second, fixture.Supervisor.Slots.Select(s => s.Held));
        Assert.Equal(new HoldOutcome(true, "reverted: 2 held worker(s) back in rotation on /srv/app/releases/B"), await fixture.Supervisor.RevertAsync().WaitAsync(SupervisorFixture.Bound));
    }

    [Fact]
    public async Task A_Reload_With_A_Hold_Whose_Last_New_Worker_Fails_Puts_The_Moved_Slot_Back_On_Its_Held_Worker_Without_A_Start()
    {
        using var fixture = new SupervisorFixture(workers: 2);
        var old = await StartAsync(fixture);
        fixture.Runtime.Current = "/srv/app/releases/B";
        fixture.Runtime.Readiness = w => Task.FromResult(w.Generation == 2 && w.Slot == 2 ? (false, "exited with status 3 before becoming ready") : (true, ""));

        var outcome = await fixture.Supervisor.RequestReload("control socket", Minute).WaitAsync(SupervisorFixture.Bound);

        Assert.False(outcome.Ok, outcome.Message);
        Assert.Equal(old, fixture.Supervisor.Routable);
        Assert.Equal(4, fixture.Runtime.Started.Count); // 2 first, the 2 new ones; none of release A again
        Assert.Null(fixture.Supervisor.HeldUntil);
        Assert.All(fixture.Supervisor.Slots, s => Assert.Equal(("/srv/app/releases/A", (Worker?)null), (s.Release!.Folder, s.Held)));
    }

    private static async Task<List<Worker>> StartAsync(SupervisorFixture fixture)
    {
        await fixture.Supervisor.StartAsync().WaitAsync(SupervisorFixture.Bound);
        return fixture.Supervisor.Slots.Select(s => s.Current!).ToList();
    }

    private static string Status(SupervisorFixture fixture) =>
        Hoist.Cli.StatusText.Render(new Hoist.Serve.StatusBuilder(fixture.Config, fixture.Supervisor).Build());
}
