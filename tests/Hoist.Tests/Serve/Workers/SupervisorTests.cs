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
    public async Task A_Reload_Whose_New_Worker_Dies_After_Ready_Fails_With_Its_Status_And_Lines_And_Puts_Its_Slot_Back_On_The_Old_Release()
    {
        using var fixture = new SupervisorFixture(workers: 2);
        await fixture.Supervisor.StartAsync().WaitAsync(SupervisorFixture.Bound);
        var (old1, old2) = (fixture.Supervisor.Slots[0].Current!, fixture.Supervisor.Slots[1].Current!);
        fixture.Runtime.Current = "/srv/app/releases/B";
        fixture.Runtime.Readiness = w =>
        {
            if (w.Generation == 2)
            {
                w.Output.Add("B: worker crashed after boot");
            }

            return Task.FromResult((true, ""));
        };
        // The attacker's timing: the new worker of slot 1 dies (ready, then dead 10 ms later) while its predecessor retires.
        fixture.Runtime.OnStop = w =>
        {
            if (w == old1)
            {
                fixture.Runtime.Exit(fixture.Supervisor.Slots[0].Current!, 1);
            }

            return Task.CompletedTask;
        };

        var outcome = await fixture.Supervisor.RequestReload("control socket").WaitAsync(SupervisorFixture.Bound);

        Assert.False(outcome.Ok, outcome.Message);
        Assert.Equal(
            "reload stopped: the new worker 1 exited with status 1 after becoming ready; the old release serves again\n  its last output:\n    B: worker crashed after boot",
            outcome.Message);
        Assert.Equal(0, fixture.Supervisor.Reloads);
        Assert.Same(old2, fixture.Supervisor.Slots[1].Current); // slot 2 was never touched: its old worker was not retired
        Assert.All(fixture.Supervisor.Slots, s => Assert.Equal("/srv/app/releases/A", s.Release!.Folder));
        Assert.All(fixture.Supervisor.Slots, s => Assert.Equal("/srv/app/releases/A", s.Current!.Release));
        Assert.Equal(2, fixture.Supervisor.Routable.Count);

        // Until the next reload, a restart of the slot starts the previous release again, not the broken `current`.
        var back = fixture.Supervisor.Slots[0].Current!;
        fixture.Runtime.Exit(back, 137);
        await fixture.AdvanceUntilAsync(() => fixture.Supervisor.Slots[0].Current is { Gone: false } w && w != back, "slot 1 restarted");
        Assert.Equal("/srv/app/releases/A", fixture.Supervisor.Slots[0].Current!.Release);
    }

    [Theory]
    [InlineData(1)] // the attacker's release: every new worker dies; slot 2's old worker is never retired
    [InlineData(2)] // only the last: slot 1, moved and still up, goes back too
    public async Task A_Reload_Whose_New_Worker_Exits_10_ms_After_Ready_Fails_Within_The_Probation_And_Puts_Every_Moved_Slot_Back(int firstDying)
    {
        using var fixture = new SupervisorFixture(workers: 2, probation: Probation.Default);
        await fixture.Supervisor.StartAsync().WaitAsync(SupervisorFixture.Bound);
        var old2 = fixture.Supervisor.Slots[1].Current!;
        fixture.Runtime.Current = "/srv/app/releases/B";
        fixture.Runtime.Readiness = w =>
        {
            if (w.Generation == 2 && w.Slot >= firstDying)
            {
                _ = ExitLaterAsync(w);
            }

            return Task.FromResult((true, ""));
        };

        async Task ExitLaterAsync(Worker worker)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), fixture.Clock);
            worker.Output.Add($"B: worker {worker.Slot} crashed");
            fixture.Runtime.Exit(worker, 3);
        }

        var reload = fixture.Supervisor.RequestReload("control socket");
        await fixture.AdvanceUntilAsync(() => reload.IsCompleted, "the reload's end", TimeSpan.FromMilliseconds(10));
        var outcome = await reload;

        Assert.False(outcome.Ok, outcome.Message);
        Assert.Equal(
            $"reload stopped: the new worker {firstDying} exited with status 3 after becoming ready; the old release serves again\n  its last output:\n    B: worker {firstDying} crashed",
            outcome.Message);
        Assert.Equal(0, fixture.Supervisor.Reloads);
        Assert.All(fixture.Supervisor.Slots, s => Assert.Equal(("/srv/app/releases/A", "/srv/app/releases/A"), (s.Release!.Folder, s.Current!.Release)));
        Assert.All(fixture.Supervisor.Slots, s => Assert.False(s.Current!.Gone));
        Assert.Equal(2, fixture.Supervisor.Routable.Count);
        Assert.Equal(firstDying == 1, fixture.Supervisor.Slots[1].Current == old2);
    }

    [Fact]
    public async Task A_Reload_Reports_Success_Only_Once_Its_New_Workers_Stayed_Up_For_The_Probation()
    {
        using var fixture = new SupervisorFixture(workers: 3, probation: Probation.Default);
        await fixture.Supervisor.StartAsync().WaitAsync(SupervisorFixture.Bound);
        fixture.Runtime.Current = "/srv/app/releases/B";

        var reload = fixture.Supervisor.RequestReload("SIGHUP");
        var took = await fixture.AdvanceUntilAsync(() => reload.IsCompleted, "the reload's end", TimeSpan.FromMilliseconds(10));
        var outcome = await reload;

        Assert.True(outcome.Ok, outcome.Message);
        Assert.Equal(1, fixture.Supervisor.Reloads);
        // The first (the canary) and the last; not every slot's: the probation is paid twice, not once per worker.
        Assert.InRange(took, 2 * Probation.Default, 3 * Probation.Default - TimeSpan.FromMilliseconds(100));
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

    [Fact]
    public async Task A_Status_Taken_While_Reloads_End_Never_Shows_A_Reload_Count_Without_That_Reload()
    {
        using var fixture = new SupervisorFixture(workers: 1);
        await fixture.Supervisor.StartAsync().WaitAsync(SupervisorFixture.Bound);
        var status = new Hoist.Serve.StatusBuilder(fixture.Config, fixture.Supervisor);
        using var done = new CancellationTokenSource();
        var seen = new List<string>();
        var looking = new TaskCompletionSource();
        var watcher = Task.Run(() =>
        {
            var looks = 0;
            looking.SetResult();
            while (!done.IsCancellationRequested)
            {
                var now = status.Build();
                looks++;
                var expected = now.Reloads == 0 ? null : $"reloaded: 1 worker(s) on generation {now.Reloads + 1}";
                if (now.LastReload?.Message != expected && seen.Count < 5)
                {
                    seen.Add($"{now.Reloads} reload(s) with last '{now.LastReload?.Message}'");
                }
            }

            return looks;
        });

        await looking.Task.WaitAsync(SupervisorFixture.Bound);
        for (var i = 0; i < 300; i++)
        {
            Assert.True((await fixture.Supervisor.RequestReload("SIGHUP").WaitAsync(SupervisorFixture.Bound)).Ok);
        }

        await done.CancelAsync();
        var looks = await watcher.WaitAsync(SupervisorFixture.Bound);
        Assert.True(seen.Count == 0, $"{looks} looks; inconsistent: {string.Join("; ", seen)}");
        Assert.Equal(300, fixture.Supervisor.Reloads);
    }
    [Fact]
    public async Task A_Status_Showing_A_Failed_Reload_Never_Lists_The_New_Worker_That_Failed()
    {
        using var fixture = new SupervisorFixture(workers: 1);
        await fixture.Supervisor.StartAsync().WaitAsync(SupervisorFixture.Bound);
        fixture.Runtime.Readiness = w => Task.FromResult(w.Generation == 1 ? (true, "") : (false, "exited with status 1 before becoming ready"));
        var status = new Hoist.Serve.StatusBuilder(fixture.Config, fixture.Supervisor);
        using var done = new CancellationTokenSource();
        var seen = new List<string>();
        var looking = new TaskCompletionSource();
        var watcher = Task.Run(() =>
        {
            var looks = 0;
            looking.SetResult();
            while (!done.IsCancellationRequested)
            {
                var now = status.Build();
                looks++;
                // Reloads run one at a time, and each forgets its failed worker before it ends: a look that says
                // generation g has begun shows no worker of an earlier reload, and so none of the one it reports failed.
                if (now.Workers.Any(w => w.Generation != 1 && w.Generation < now.Generation) && seen.Count < 5)
                {
                    seen.Add($"generation {now.Generation}: {now.Workers.Count} workers ({string.Join(", ", now.Workers.Select(w => $"{w.State} g{w.Generation}"))})");
                }
            }

            return looks;
        });

        await looking.Task.WaitAsync(SupervisorFixture.Bound);
        for (var i = 0; i < 300; i++)
        {
            Assert.False((await fixture.Supervisor.RequestReload("SIGHUP").WaitAsync(SupervisorFixture.Bound)).Ok);
        }

        await done.CancelAsync();
        var looks = await watcher.WaitAsync(SupervisorFixture.Bound);
        Assert.True(seen.Count == 0, $"{looks} looks; inconsistent: {string.Join("; ", seen)}");
    }
}
