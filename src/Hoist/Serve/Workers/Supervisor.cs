namespace Hoist.Serve.Workers;

using Hoist.Serve.Config;
using Hoist.Serve.Logging;

/// <summary>
/// Keeps N workers serving: starts them, replaces them one at a time on reload and recycling (new one ready before
/// the old one leaves rotation and drains), and restarts crashed ones with backoff. Every change of the pool goes
/// through one semaphore, so replacements never overlap. A reload with a hold keeps the old workers alive out of
/// rotation until a commit stops them or a revert puts them back at once (a deploy's health gate decides which). The jobs are in small types: <see cref="WorkerPool"/>,
/// <see cref="WorkerStarter"/>, <see cref="RestartLoop"/>, <see cref="ReloadQueue"/>, <see cref="Recycler"/>,
/// <see cref="Retirer"/>; processes are behind <see cref="IWorkerRuntime"/>, time behind a <see cref="TimeProvider"/>.
/// </summary>
internal sealed class Supervisor : IWorkerEvents
{
    /// <summary>hoist_gunicorn.py's exit status after answering 504 to a request that ran past harakiri.</summary>
    private const int HarakiriExit = 5;
    private readonly ServeConfig config;
    private readonly IWorkerRuntime runtime;
    private readonly TimeProvider clock;
    private readonly ServeLog log;
    private readonly SemaphoreSlim changes = new(1, 1);
    private readonly CancellationTokenSource stopping = new();
    private readonly WorkerPool pool;
    private readonly Retirer retirer;
    private readonly WorkerStarter starter;
    private readonly RestartLoop restarts;
    private readonly ReloadQueue reloadQueue;
    private readonly Recycler recycler;
    private readonly Probation probation;
    private readonly FrozenWatch frozen;
    private readonly Lock tallyLock = new();
    private int generation = 1;
    private ReloadTally tally = new(0, null);
    private Hold? hold;

    /// <param name="random01">Jitter for backoff and max-requests: [0, 1), Random.Shared's unless a test fixes it.</param>
    /// <param name="probation">How long a reload's new worker must stay up once ready: the config's reload-probation unless a test sets it.</param>
    public Supervisor(
        ServeConfig config, IWorkerRuntime runtime, ServeLog log, TimeProvider clock, Func<double>? random01 = null, TimeSpan? probation = null)
    {
        this.config = config;
        this.runtime = runtime;
        this.clock = clock;
        this.log = log;
        var random = random01 ?? Random.Shared.NextDouble;
        pool = new WorkerPool(config.Workers, runtime, () => new Backoff(clock, random));
        retirer = new Retirer(runtime, pool, config.Mercy, clock);
        starter = new WorkerStarter(runtime, pool, retirer, this, config.MaxRequests, random, clock, log);
        restarts = new RestartLoop(pool, changes, runtime.Resolve, () => Generation, (slot, release) => StartReadyAsync(slot, release), clock, log, stopping.Token);
        reloadQueue = new ReloadQueue(changes, ReloadAsync, Abandoned, message => Record(false, message), stopping.Token);
        this.probation = new Probation(probation ?? config.ReloadProbation, clock);
        frozen = new FrozenWatch(clock, config.FrozenLimit);
        recycler = new Recycler(runtime, pool, changes, slot => ReplaceAsync(slot, slot.Release!), config.ReloadOnRssMiB, log, stopping.Token);
    }

    public IReadOnlyList<Worker> Routable => pool.Routable;

    /// <summary>Set while no worker is in rotation, so that a front can wait for that instead of polling.</summary>
    public WaitHandle NoneReady => pool.NoneReady;

    public IReadOnlyList<Slot> Slots => pool.Slots;

    public IReadOnlyList<Worker> Live => pool.Live;

    public WorkerPool Pool => pool;

    public int Generation => Volatile.Read(ref generation);

    /// <summary>The reloads that succeeded and how the last one ended, read as one (a status never shows one without the other).</summary>
    public ReloadTally Tally => Volatile.Read(ref tally);

    public int Reloads => Tally.Succeeded;

    /// <summary>Until when the previous generation's workers are held (a reload with a hold succeeded), or null.</summary>
    public DateTimeOffset? HeldUntil => Volatile.Read(ref hold)?.Until;

    public ReloadOutcome? LastReload => Tally.Last;

    /// <summary>Raised when a reload begins (with what it is), and when it ends (with its outcome).</summary>
    public event Action<string>? Reloading;

    public event Action<ReloadOutcome>? Reloaded;

    /// <summary>
    /// Starts every slot at once. A slot whose worker fails is retried with backoff, as after a crash, unless
    /// <paramref name="failFast"/> (under systemd: the unit's start fails instead). Returns why each failed slot did.
    /// </summary>
    public async Task<IReadOnlyList<string>> StartAsync(bool failFast = false)
    {
        GenerationRelease? release = null;
        var unresolved = "";
        try
        {
            release = runtime.Resolve(Generation);
        }
        catch (Exception error) when (error is IOException or FormatException or UnauthorizedAccessException)
        {
            unresolved = $"could not be started: {error.Message}";
        }

        var failures = new List<string>();
        await Task.WhenAll(pool.Slots.Select(async slot =>
        {
            slot.Release = release;
            var started = release is null ? new StartResult(null, unresolved, "") : await StartReadyAsync(slot.Index, release).ConfigureAwait(false);
            if (started.Worker is not null && pool.Install(slot, started.Worker, release!))
            {
                return;
            }

            var why = started.Worker is null ? started.Failure : "exited right after becoming ready";
            log.Info($"worker {slot.Index} did not start: {started.Why}");
            slot.LastFailure = why;
            lock (failures)
            {
                failures.Add($"worker {slot.Index} {why}");
            }

            if (!failFast)
            {
                _ = restarts.Schedule(slot);
            }
        })).ConfigureAwait(false);
        pool.Publish();
        return failures.Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Asks for a graceful reload. Requests that arrive while one waits to start share it; the task ends with
    /// that reload's outcome.
    /// </summary>
    /// <param name="holdFor">
    /// Keep the old workers alive out of rotation, once drained, for up to this long: until <see cref="CommitAsync"/>,
    /// <see cref="RevertAsync"/>, or its end (which commits).
    /// </param>
    public Task<ReloadOutcome> RequestReload(string reason, TimeSpan? holdFor = null) => reloadQueue.Request(reason, holdFor);

    /// <summary>Stops the held workers now (the new generation stays); ok with nothing held too.</summary>
    public Task<HoldOutcome> CommitAsync() => UnderChangesAsync(() => CommitHeldAsync("asked"));

    /// <summary>
    /// Puts the held workers back in rotation at once, slot by slot, their release the slots' again, and answers; the
    /// new ones then drain and stop, no other change of the pool starting before they have. Not ok when nothing is
    /// held (the caller reloads instead).
    /// </summary>
    public async Task<HoldOutcome> RevertAsync()
    {
        try
        {
            await changes.WaitAsync(stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return new HoldOutcome(false, "hoist serve is stopping");
        }

        var handedOn = false;
        try
        {
            var (outcome, replaced) = await RevertHeldAsync().ConfigureAwait(false);
            // The answer goes out now, while the held workers serve again: a deploy's revert waits for nothing more.
            handedOn = replaced.Count > 0;
            if (handedOn)
            {
                _ = RetireThenReleaseChangesAsync(replaced);
            }

            return outcome;
        }
        finally
        {
            if (!handedOn)
            {
                changes.Release();
            }
        }
    }

    /// <summary>Replaces one worker through the reload path (max-requests, reload-on-rss, harakiri).</summary>
    public void Recycle(Worker worker, string reason) => _ = recycler.Recycle(worker, reason);

    /// <summary>Called by the front after each request, to recycle a worker that reached max-requests.</summary>
    public void RequestDone(Worker worker) => recycler.RequestDone(worker);

    /// <summary>Reads each worker's memory (recycles one past reload-on-rss) and state (kills one frozen past the limit).</summary>
    public void Sample()
    {
        recycler.Sample();
        foreach (var worker in frozen.Check(pool.Live.Where(w => w.State == WorkerState.Ready), runtime.IsStopped))
        {
            log.Info($"{worker} has been stopped by a signal (frozen) for {frozen.Limit.TotalSeconds:0} s or more; killing it (SIGKILL) to restart it");
            runtime.Kill(worker);
        }
    }

    /// <summary>When a ready worker was first seen stopped by the kernel (frozen), or null.</summary>
    public DateTimeOffset? FrozenSince(Worker worker) => frozen.FrozenSince(worker);

    /// <summary>How long a frozen worker is left before it is killed.</summary>
    public TimeSpan FrozenLimit => frozen.Limit;

    /// <summary>Stops every worker (held ones too): no new work, in-flight requests get the mercy time, then TERM, then KILL.</summary>
    public async Task StopAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        pool.Close();
        // A worker sharing the socket first serves what is still queued on it (SIGUSR2), as the front did for the others.
        await Task.WhenAll(pool.Live.Select(w => w.SharesListener ? retirer.StopAsync(w, Native.SigUsr2) : retirer.RetireAsync(w))).ConfigureAwait(false);
    }

    void IWorkerEvents.Exited(Worker worker, int? status)
    {
        worker.ExitStatus = status; // before it is Gone: a reload's probation that sees it gone reports the status
        var wasHeld = worker.State == WorkerState.Held;
        var wasCurrent = pool.Forget(worker);
        if (wasHeld && !worker.Stopping)
        {
            worker.State = WorkerState.Crashed;
            log.Info($"held {worker} exited (status {status}); forgotten: a revert starts its slot on the previous release anew");
            runtime.Release(worker);
            return;
        }

        if (worker.Stopping)
        {
            return;
        }

        worker.State = WorkerState.Crashed;
        var harakiri = worker.HarakiriPath is not null && status == HarakiriExit;
        log.Info(harakiri
            ? $"{worker}: a request to {worker.HarakiriPath} ran past harakiri ({config.Harakiri?.TotalSeconds:0} s); it answered 504 and is replaced"
            : $"{worker} exited unexpectedly (status {status}); taken out of rotation");
        if (wasCurrent)
        {
            pool.Publish();
            _ = restarts.Schedule(pool[worker.Slot], crashed: !harakiri, worker.ReadyAt);
        }
    }

    void IWorkerEvents.RecycleAsked(Worker worker, string reason) => Recycle(worker, reason);

    private Task<StartResult> StartReadyAsync(int slot, GenerationRelease release, bool watched = false) =>
        starter.StartReadyAsync(slot, release, stopping.Token, watched);

    private async Task<ReloadOutcome> ReloadAsync(string reason, TimeSpan? holdFor)
    {
        if (stopping.IsCancellationRequested)
        {
            return Abandoned();
        }

        if (Volatile.Read(ref hold) is not null)
        {
            // The generation before the held one is of no use to a revert any more: the held one is taken as good.
            log.Info("a reload while workers are held: committing them first");
            await CommitHeldAsync("a new reload").ConfigureAwait(false);
        }

        var next = Interlocked.Increment(ref generation);
        Reloading?.Invoke($"reloading ({reason}): generation {next}");
        log.Info($"reload ({reason}): generation {next}, replacing {pool.Slots.Count} worker(s) one at a time");
        GenerationRelease release;
        try
        {
            // Once for the whole generation: every new worker runs the same release and env-file.
            release = runtime.Resolve(next);
        }
        catch (Exception error) when (error is IOException or FormatException or UnauthorizedAccessException)
        {
            return Finished(Record(false, $"reload stopped: the new workers could not be started: {error.Message}; the old workers keep serving"));
        }

        var moved = new List<(Slot Slot, GenerationRelease? Previous, Worker Fresh)>();
        foreach (var slot in pool.Slots)
        {
            var previous = slot.Release;
            var replaced = await ReplaceAsync(slot, release, watched: true, held: holdFor is not null).ConfigureAwait(false);
            if (replaced.Worker is null)
            {
                await RollBackAsync(moved).ConfigureAwait(false);
                return Finished(Record(false, $"reload stopped: the new worker {slot.Index} {replaced.Why}; the old workers keep serving{replaced.Output}"));
            }

            moved.Add((slot, previous, replaced.Worker));
            // The first new worker is a canary: no old worker of a later slot is retired before it stayed up for the
            // probation. The last one's is what the reported success rests on. In between, a look costs nothing.
            var full = moved.Count == 1 || moved.Count == pool.Slots.Count;
            if (await probation.FirstDeadAsync(moved.Select(m => m.Fresh).ToList(), full, stopping.Token).ConfigureAwait(false) is { } dead)
            {
                await runtime.DrainedAsync(dead).ConfigureAwait(false);
                var output = dead.Output.Shown();
                await RollBackAsync(moved).ConfigureAwait(false);
                return Finished(Record(false, $"reload stopped: the new worker {dead.Slot} exited with status {dead.ExitStatus} after becoming ready; the old release serves again{output}"));
            }
        }

        foreach (var (_, _, fresh) in moved)
        {
            fresh.KeepsOutput = false;
        }

        if (holdFor is not { } span)
        {
            return Finished(Record(true, $"reloaded: {pool.Slots.Count} worker(s) on generation {next}"));
        }

        var until = BeginHold(span);
        // The hold goes in the answer, not in the record: the record outlives the hold (a commit, a revert or its end),
        // and a status that still said "held until" would send the operator to revert what is gone. A status shows
        // the hold apart, from HeldUntil, while it lasts.
        var recorded = Record(true, $"reloaded: {pool.Slots.Count} worker(s) on generation {next}");
        var held = $"; the previous generation's are held until {until:yyyy-MM-ddTHH:mm:ssZ} (hoist serve --commit stops them, --revert puts them back)";
        log.Info($"the previous generation's workers are held until {until:yyyy-MM-ddTHH:mm:ssZ}");
        return Finished(recorded with { Message = recorded.Message + held });
    }

    /// <summary>Starts the slot's successor on <paramref name="release"/>, puts it in rotation once ready, then drains and stops its predecessor.</summary>
    /// <param name="watched">A reload's: the new worker keeps its output after ready, for its probation.</param>
    /// <param name="held">A reload's with a hold: the predecessor, drained, is kept alive as the slot's held worker instead of stopped.</param>
    private async Task<StartResult> ReplaceAsync(Slot slot, GenerationRelease release, bool watched = false, bool held = false)
    {
        var started = await StartReadyAsync(slot.Index, release, watched).ConfigureAwait(false);
        if (started.Worker is not { } fresh)
        {
            return started;
        }

        var old = slot.Current;
        var oldRelease = slot.Release;
        if (!pool.Install(slot, fresh, release))
        {
            return new StartResult(null, "exited right after becoming ready", "");
        }

        // A predecessor that is gone (it crashed) has nothing left to retire, and Install released its process.
        if (held)
        {
            // Even with no predecessor alive (it crashed), the slot's previous release is kept: a revert starts it.
            if (old is { Gone: false })
            {
                await retirer.HoldAsync(old).ConfigureAwait(false);
            }

            if (!pool.Hold(slot, old, oldRelease) && old is not null)
            {
                runtime.Release(old); // it died while draining: its exit forgot it
            }
        }
        else if (old is { Gone: false } && RetiresAside)
        {
            _ = RetireAndReleaseAsync(old);
        }
        else if (old is { Gone: false })
        {
            await retirer.RetireAsync(old).ConfigureAwait(false);
            // While stopping, StopAsync may be retiring the same worker; its process ends with hoist serve anyway.
            if (!stopping.IsCancellationRequested)
            {
                runtime.Release(old);
            }
        }

        return started;
    }

    /// <summary>
    /// A new worker failed, so `current` is known broken: every slot this reload moved goes back to the release it ran
    /// before, now and for its later restarts and recycles, until the next reload.
    /// </summary>
    private async Task RollBackAsync(IReadOnlyList<(Slot Slot, GenerationRelease? Previous, Worker Fresh)> moved)
    {
        foreach (var (slot, previous, fresh) in moved)
        {
            fresh.KeepsOutput = false;
            // Set first: should the old release fail to start now, the slot's restart loop starts it, not `current`.
            slot.Release = previous;
            if (previous is null || stopping.IsCancellationRequested)
            {
                continue;
            }

            log.Info($"worker {slot.Index} goes back to {previous.Folder} (generation {previous.Number})");
            var back = await BackAsync(slot, previous).ConfigureAwait(false);
            if (back.Worker is null)
            {
                log.Info($"worker {slot.Index} could not go back: {back.Why}");
                if (slot.Current is not { Gone: false })
                {
                    _ = restarts.Schedule(slot);
                }
            }
        }
    }

    /// <summary>
    /// The slot back on <paramref name="previous"/>: its held worker in rotation again at once when it is alive, else a
    /// new one started the normal way; the worker it replaces is returned to be drained and stopped (null: none, or done).
    /// </summary>
    private async Task<(StartResult Result, bool WasHeld, Worker? Replaced)> PutBackAsync(Slot slot, GenerationRelease previous)
    {
        var (held, _) = pool.TakeHeld(slot);
        var current = slot.Current;
        if (held is not null)
        {
            held.State = WorkerState.Ready;
            runtime.Resume(held);
            if (pool.Install(slot, held, previous))
            {
                return (new StartResult(held, "", ""), true, current is { Gone: false } ? current : null);
            }
        }

        slot.Release = previous;
        return (await ReplaceAsync(slot, previous).ConfigureAwait(false), false, null);
    }

    private async Task<StartResult> BackAsync(Slot slot, GenerationRelease previous)
    {
        var (result, _, replaced) = await PutBackAsync(slot, previous).ConfigureAwait(false);
        if (replaced is not null)
        {
            await RetireAndReleaseAsync(replaced).ConfigureAwait(false);
        }

        return result;
    }

    /// <summary>
    /// True when a retiring worker is not waited for (an ASGI app's): it stops accepting at SIGTERM, sent before
    /// <see cref="RetireAndReleaseAsync"/> first yields, but keeps its WebSockets open until the mercy time, and a reload
    /// or a commit (a deploy's) that waited for it would report only once they were closed. It stays live until it
    /// exits, so a stop still waits for it.
    /// </summary>
    private bool RetiresAside => config.App is WsgiApp { Asgi: true };

    private async Task RetireAndReleaseAsync(Worker worker)
    {
        await retirer.RetireAsync(worker).ConfigureAwait(false);
        if (!stopping.IsCancellationRequested)
        {
            runtime.Release(worker);
        }
    }

    private async Task<HoldOutcome> UnderChangesAsync(Func<Task<HoldOutcome>> change)
    {
        try
        {
            await changes.WaitAsync(stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return new HoldOutcome(false, "hoist serve is stopping");
        }

        try
        {
            return await change().ConfigureAwait(false);
        }
        finally
        {
            changes.Release();
        }
    }

    /// <summary>Starts the hold: ends at <c>now + span</c> as a commit, unless a commit or a revert ends it first.</summary>
    private DateTimeOffset BeginHold(TimeSpan span)
    {
        // Not linked to stopping (nothing to unregister): a hold that ends while hoist serve stops finds it stopping.
        var started = new Hold(clock.GetUtcNow() + span, new CancellationTokenSource());
        Volatile.Write(ref hold, started);
        _ = ExpireAsync(started, span);
        return started.Until;
    }

    private async Task ExpireAsync(Hold expiring, TimeSpan span)
    {
        try
        {
            await Task.Delay(span, clock, expiring.Ended.Token).ConfigureAwait(false);
            await changes.WaitAsync(expiring.Ended.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return; // committed, reverted, or hoist serve stops
        }

        try
        {
            if (Volatile.Read(ref hold) == expiring && !stopping.IsCancellationRequested)
            {
                await CommitHeldAsync($"the hold of {span.TotalSeconds:0} s ended").ConfigureAwait(false);
            }
        }
        finally
        {
            changes.Release();
        }
    }

    /// <summary>Ends the hold (under the changes semaphore); false when none was on.</summary>
    private bool EndHold()
    {
        var ended = Interlocked.Exchange(ref hold, null);
        ended?.Ended.Cancel();
        return ended is not null;
    }

    private async Task<HoldOutcome> CommitHeldAsync(string why)
    {
        if (!EndHold())
        {
            return new HoldOutcome(true, "nothing is held: no reload with a hold is waiting for a commit");
        }

        var held = pool.Slots.Select(s => pool.TakeHeld(s).Worker).OfType<Worker>().ToList();
        log.Info($"commit ({why}): stopping {held.Count} held worker(s) of the previous generation");
        var retiring = held.Select(RetireAndReleaseAsync).ToList();
        if (!RetiresAside)
        {
            await Task.WhenAll(retiring).ConfigureAwait(false);
        }

        return new HoldOutcome(true, $"committed: {held.Count} held worker(s) of the previous generation stopped");
    }

    private async Task RetireThenReleaseChangesAsync(IReadOnlyList<Worker> workers)
    {
        try
        {
            await Task.WhenAll(workers.Select(RetireAndReleaseAsync)).ConfigureAwait(false);
        }
        finally
        {
            changes.Release();
        }
    }

    /// <returns>How it ended, and the new workers it took out of rotation, to drain and stop.</returns>
    private async Task<(HoldOutcome Outcome, IReadOnlyList<Worker> Replaced)> RevertHeldAsync()
    {
        // Read before the hold ends: which release each slot goes back to.
        var back = pool.Slots.Select(s => (Slot: s, s.HeldRelease)).Where(b => b.HeldRelease is not null).ToList();
        if (!EndHold() || back.Count == 0)
        {
            return (new HoldOutcome(false, "nothing is held to revert to (no reload with a hold, or it was committed or ended); reload instead: hoist serve --reload"), []);
        }

        var replaced = new List<Worker>();
        var started = 0;
        foreach (var (slot, previous) in back)
        {
            var (result, wasHeld, old) = await PutBackAsync(slot, previous!).ConfigureAwait(false);
            if (old is not null)
            {
                replaced.Add(old);
            }

            started += wasHeld ? 0 : 1;
            if (result.Worker is null)
            {
                log.Info($"worker {slot.Index} could not go back: {result.Why}");
                if (slot.Current is not { Gone: false })
                {
                    _ = restarts.Schedule(slot);
                }
            }
        }

        var folder = back[0].HeldRelease!.Folder;
        log.Info($"revert: {back.Count - started} held worker(s) back in rotation on {folder}; stopping the {replaced.Count} new one(s)");
        return (new HoldOutcome(true, $"reverted: {back.Count - started} held worker(s) back in rotation on {folder}" +
            (started > 0 ? $", {started} started anew there (their held worker had died)" : "")), replaced);
    }

    private ReloadOutcome Finished(ReloadOutcome outcome)
    {
        Reloaded?.Invoke(outcome);
        return outcome;
    }

    /// <summary>A reload given up because hoist serve stops: not recorded as the last reload, and Reloaded is not raised.</summary>
    private ReloadOutcome Abandoned()
    {
        const string message = "reload abandoned: hoist serve is stopping";
        log.Info(message);
        return new ReloadOutcome(false, message, Generation, clock.GetUtcNow(), Abandoned: true);
    }

    private ReloadOutcome Record(bool ok, string message)
    {
        log.Info(message);
        var outcome = new ReloadOutcome(ok, message, Generation, clock.GetUtcNow());
        lock (tallyLock)
        {
            Volatile.Write(ref tally, new ReloadTally(tally.Succeeded + (ok ? 1 : 0), outcome));
        }

        return outcome;
    }

    /// <summary>A hold under way: when it ends by itself, and what cancels that end.</summary>
    private sealed record Hold(DateTimeOffset Until, CancellationTokenSource Ended);
}
