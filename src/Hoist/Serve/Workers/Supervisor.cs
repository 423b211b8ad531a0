namespace Hoist.Serve.Workers;

using System.Diagnostics;
using Hoist.Serve.Config;
using Hoist.Serve.Front;
using Hoist.Serve.Logging;

/// <summary>
/// Keeps N workers serving: starts them, replaces them one at a time on reload and recycling (new one ready
/// before the old one leaves rotation and drains), and restarts crashed ones with backoff. Every change of the
/// pool goes through one lock, so replacements never overlap.
/// </summary>
internal sealed class Supervisor(ServeConfig config, WorkerLauncher launcher, WorkerConnector connector, ServeLog log)
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);

    /// <summary>hoist_gunicorn.py's exit status after answering 504 to a request that ran past harakiri.</summary>
    private const int HarakiriExit = 5;
    private readonly Slot[] slots = Enumerable.Range(1, config.Workers).Select(i => new Slot(i)).ToArray();
    private readonly ReadinessProbe probe = new(connector, config.HealthCheck, config.ReadyTimeout, config.HealthCheckHost);
    private readonly SemaphoreSlim changes = new(1, 1);
    private readonly List<Worker> live = [];
    private readonly Lock gate = new();
    private readonly CancellationTokenSource stopping = new();
    private TaskCompletionSource<ReloadOutcome>? queuedReload;
    private readonly ManualResetEventSlim noneReady = new(initialState: true);
    private Worker[] routable = [];
    private int generation = 1;
    private int reloads;
    private int launches;

    public IReadOnlyList<Worker> Routable => Volatile.Read(ref routable);

    /// <summary>Set while no worker is in rotation, so that a front can wait for that instead of polling.</summary>
    public WaitHandle NoneReady => noneReady.WaitHandle;

    public IReadOnlyList<Slot> Slots => slots;

    public int Generation => Volatile.Read(ref generation);

    public int Reloads => Volatile.Read(ref reloads);

    public ReloadOutcome? LastReload { get; private set; }

    public IReadOnlyList<Worker> Live
    {
        get
        {
            lock (gate)
            {
                return live.ToList();
            }
        }
    }

    /// <summary>Raised when a reload begins (with what it is), and when it ends (with its outcome).</summary>
    public event Action<string>? Reloading;

    public event Action<ReloadOutcome>? Reloaded;

    /// <summary>
    /// Starts every slot at once. A slot whose worker fails is retried with backoff, as after a crash, unless
    /// <paramref name="failFast"/> (under systemd: the unit's start fails instead). Returns why each failed slot did.
    /// </summary>
    public async Task<IReadOnlyList<string>> StartAsync(bool failFast = false)
    {
        var failures = new List<string>();
        await Task.WhenAll(slots.Select(async slot =>
        {
            var (worker, why, output) = await LaunchReadyAsync(slot.Index, generation).ConfigureAwait(false);
            if (worker is null)
            {
                log.Info($"worker {slot.Index} did not start: {why}");
                lock (failures)
                {
                    failures.Add($"worker {slot.Index} {why}{output}");
                }

                if (!failFast)
                {
                    ScheduleRestart(slot);
                }

                return;
            }

            slot.Current = worker;
        })).ConfigureAwait(false);
        Publish();
        return failures.Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Asks for a graceful reload. Requests that arrive while one waits to start share it; the task ends with
    /// that reload's outcome.
    /// </summary>
    public Task<ReloadOutcome> RequestReload(string reason)
    {
        TaskCompletionSource<ReloadOutcome>? created = null;
        Task<ReloadOutcome> outcome;
        lock (gate)
        {
            if (queuedReload is null)
            {
                queuedReload = created = new TaskCompletionSource<ReloadOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            outcome = queuedReload.Task;
        }

        // Started outside the lock: it may run synchronously up to its first wait and take the queued reload.
        if (created is not null)
        {
            _ = RunQueuedReloadAsync(reason);
        }

        return outcome;
    }

    /// <summary>Replaces one worker through the reload path (max-requests, reload-on-rss, harakiri).</summary>
    public void Recycle(Worker worker, string reason)
    {
        _ = Task.Run(async () =>
        {
            await changes.WaitAsync(stopping.Token).ConfigureAwait(false);
            try
            {
                var slot = slots[worker.Slot - 1];
                if (slot.Current != worker || stopping.IsCancellationRequested)
                {
                    return;
                }

                log.Info($"recycling {worker}: {reason}");
                var (ok, why, _) = await ReplaceAsync(slot, Generation).ConfigureAwait(false);
                if (!ok)
                {
                    log.Info($"recycling {worker} failed, it keeps serving: {why}");
                }
            }
            finally
            {
                changes.Release();
            }
        });
    }

    /// <summary>Called by the front after each request, to recycle a worker that reached max-requests.</summary>
    public void RequestDone(Worker worker)
    {
        // At or past, not equal: with requests in flight the count can step over RecycleAfter between two checks.
        if (worker.RecycleAfter > 0 && worker.Requests >= worker.RecycleAfter && worker.TryMarkForRecycling())
        {
            Recycle(worker, $"served {worker.Requests} requests (max-requests)");
        }
    }

    /// <summary>Reads each worker's memory; recycles one past reload-on-rss.</summary>
    public void Sample()
    {
        foreach (var worker in Live)
        {
            var rss = worker.RssBytes();
            if (config.ReloadOnRssMiB is { } limit && worker.State == WorkerState.Ready && rss > limit * 1024L * 1024)
            {
                Recycle(worker, $"resident memory {rss / (1024 * 1024)} MiB > reload-on-rss {limit} MiB");
            }
        }
    }

    /// <summary>Stops every worker: no new work, in-flight requests get the mercy time, then TERM, then KILL.</summary>
    public async Task StopAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        Volatile.Write(ref routable, []);
        // A worker sharing the socket first serves what is still queued on it (SIGUSR2), as the front did for the others.
        await Task.WhenAll(Live.Select(w => w.SharesListener ? StopWorkerAsync(w, config.Mercy, Native.SigUsr2) : RetireAsync(w))).ConfigureAwait(false);
    }

    private async Task RunQueuedReloadAsync(string reason)
    {
        await changes.WaitAsync().ConfigureAwait(false);
        TaskCompletionSource<ReloadOutcome> mine;
        lock (gate)
        {
            mine = queuedReload!;
            queuedReload = null;
        }

        try
        {
            mine.SetResult(await ReloadAsync(reason).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            mine.SetResult(Abandoned());
        }
        catch (Exception error)
        {
            mine.SetResult(Record(false, $"reload failed: {error.Message}"));
        }
        finally
        {
            changes.Release();
        }
    }

    private async Task<ReloadOutcome> ReloadAsync(string reason)
    {
        if (stopping.IsCancellationRequested)
        {
            return Abandoned();
        }

        var next = Interlocked.Increment(ref generation);
        Reloading?.Invoke($"reloading ({reason}): generation {next}");
        log.Info($"reload ({reason}): generation {next}, replacing {slots.Length} worker(s) one at a time");
        foreach (var slot in slots)
        {
            var (ok, why, output) = await ReplaceAsync(slot, next).ConfigureAwait(false);
            if (!ok)
            {
                return Finished(Record(false, $"reload stopped: the new worker {slot.Index} {why}; the old workers keep serving{output}"));
            }
        }

        Interlocked.Increment(ref reloads);
        return Finished(Record(true, $"reloaded: {slots.Length} worker(s) on generation {next}"));
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
        return new ReloadOutcome(false, message, Generation, DateTimeOffset.UtcNow, Abandoned: true);
    }

    private ReloadOutcome Record(bool ok, string message)
    {
        log.Info(message);
        LastReload = new ReloadOutcome(ok, message, Generation, DateTimeOffset.UtcNow);
        return LastReload;
    }

    /// <summary>Starts the slot's successor, puts it in rotation once ready, then drains and stops its predecessor.</summary>
    private async Task<(bool Ok, string Why, string Output)> ReplaceAsync(Slot slot, int gen)
    {
        var (fresh, why, output) = await LaunchReadyAsync(slot.Index, gen).ConfigureAwait(false);
        if (fresh is null)
        {
            return (false, why, output);
        }

        var old = slot.Current;
        slot.Current = fresh;
        slot.Errored = false;
        Publish();
        if (old is not null)
        {
            await RetireAsync(old).ConfigureAwait(false);
        }

        return (true, "", "");
    }

    /// <returns>
    /// The ready worker; or null, why, and the failed worker's last output lines ("" when it printed none), its env-file's
    /// values and URL passwords hidden (<see cref="SecretRedactor"/>).
    /// </returns>
    private async Task<(Worker? Worker, string Why, string Output)> LaunchReadyAsync(int slotIndex, int gen)
    {
        Worker worker;
        try
        {
            worker = Launch(slotIndex, gen);
        }
        catch (Exception error) when (error is IOException or System.ComponentModel.Win32Exception or InvalidOperationException or UnauthorizedAccessException or FormatException)
        {
            return (null, $"could not be started: {error.Message}", "");
        }

        var (ready, why) = await (worker.SharesListener ? probe.WaitForAnnouncementAsync(worker, stopping.Token) : probe.WaitAsync(worker, stopping.Token)).ConfigureAwait(false);
        if (!ready)
        {
            await StopWorkerAsync(worker).ConfigureAwait(false);
            // Hidden here, the one place worker output enters a message: failures, --status, --reload and stderr show it.
            var output = worker.Output.Lines();
            return (null, worker.Secrets.Redact(why), output.Count == 0 ? "" : $"\n  its last output:\n    {string.Join("\n    ", output)}");
        }

        worker.ReadyAt = DateTimeOffset.UtcNow;
        worker.State = WorkerState.Ready;
        log.Info($"{worker} ready on {Endpoint(worker)} in {worker.Release}");
        return (worker, "", "");
    }

    private Worker Launch(int slotIndex, int gen)
    {
        var release = launcher.ResolveWorkdir();
        var envFile = launcher.ReadEnvFile();
        var recycleAfter = config.MaxRequests is { } max ? max + Random.Shared.Next(0, Math.Max(1, max / 10) + 1) : 0;
        var serial = Interlocked.Increment(ref launches);
        var stats = launcher.SharesListener ? launcher.CreateStatsFile(slotIndex, gen, serial) : null;
        var worker = new Worker(slotIndex, gen, PortAllocator.Next(), launcher.SocketPathFor(slotIndex, gen, serial), release, recycleAfter, stats)
        {
            Secrets = SecretRedactor.For(envFile.Select(e => e.Value)),
        };
        File.Delete(worker.UnixPath);
        var process = new Process { StartInfo = launcher.StartInfo(worker, envFile), EnableRaisingEvents = true };
        var source = $"worker {slotIndex}";
        process.OutputDataReceived += (_, e) => OnOutput(worker, source, e.Data);
        process.ErrorDataReceived += (_, e) => Log(worker, source, e.Data);
        process.Exited += (_, _) => OnExited(worker);
        worker.Process = process;
        connector.Add(worker);
        lock (gate)
        {
            live.Add(worker);
        }

        process.Start();
        worker.Pid = process.Id;
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        log.Info($"{worker} starting in {release}");
        return worker;
    }

    /// <summary>The worker's stdout: logged, except the notices a worker sharing the socket sends hoist serve.</summary>
    private void OnOutput(Worker worker, string source, string? line)
    {
        if (line is null || !worker.SharesListener || WorkerNotice.Parse(line, worker.Token) is not { } notice)
        {
            Log(worker, source, line);
            return;
        }

        switch (notice.Kind)
        {
            case WorkerNoticeKind.Ready:
                worker.Announce(null);
                break;
            case WorkerNoticeKind.Unready:
                worker.Announce($"failed its health check: {notice.Detail}");
                break;
            case WorkerNoticeKind.Recycle:
                if (worker.TryMarkForRecycling())
                {
                    Recycle(worker, $"served {notice.Detail} requests (max-requests)");
                }

                break;
            case WorkerNoticeKind.Harakiri:
                worker.HarakiriPath = notice.Detail;
                break;
        }
    }

    private static string Endpoint(Worker worker) =>
        worker.SharesListener ? "the shared socket" : worker.UsesUnixSocket ? worker.UnixPath : $"127.0.0.1:{worker.Port}";

    private void Log(Worker worker, string source, string? line)
    {
        if (line is not null)
        {
            // Kept only until the worker is ready (it explains a start that failed; a serving worker's lines cost nothing
            // more), redacted first: the tail caps long lines, and a capped secret is one no redaction finds afterwards.
            if (worker.ReadyAt is null)
            {
                worker.Output.Add(worker.Secrets.Redact(line));
            }

            log.Write(source, line);
        }
    }

    private void OnExited(Worker worker)
    {
        var status = worker.Process?.ExitCode;
        Forget(worker);
        if (worker.Stopping)
        {
            return;
        }

        worker.State = WorkerState.Crashed;
        // The rest of its process group goes too: `sh -c` does not exec its last command, so killing the pid the
        // status shows leaves the app itself running on its port, an orphan nobody stops.
        Native.KillGroup(worker.Process?.Id ?? 0, Native.SigKill);
        var slot = slots[worker.Slot - 1];
        var harakiri = worker.HarakiriPath is not null && status == HarakiriExit;
        log.Info(harakiri
            ? $"{worker}: a request to {worker.HarakiriPath} ran past harakiri ({config.Harakiri?.TotalSeconds:0} s); it answered 504 and is replaced"
            : $"{worker} exited unexpectedly (status {status}); taken out of rotation");
        if (slot.Current == worker)
        {
            Publish();
            ScheduleRestart(slot, crashed: !harakiri);
        }
    }

    private void ScheduleRestart(Slot slot, bool crashed = true)
    {
        lock (gate)
        {
            if (slot.Restarting || stopping.IsCancellationRequested)
            {
                return;
            }

            slot.Restarting = true;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await RestartLoopAsync(slot, crashed).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // hoist serve is stopping.
            }
            finally
            {
                slot.Restarting = false;
            }
        });
    }

    /// <param name="crashedFirst">False when the worker exited on purpose (harakiri): its first restart is at once.</param>
    private async Task RestartLoopAsync(Slot slot, bool crashedFirst)
    {
        var crashed = slot.Current;
        var first = true;
        while (!stopping.IsCancellationRequested)
        {
            var stable = crashed?.ReadyAt is { } readyAt && DateTimeOffset.UtcNow - readyAt > Backoff.StableAfter;
            var immediate = first && !crashedFirst;
            first = false;
            slot.Crashes = immediate ? slot.Crashes : stable ? 1 : slot.Crashes + 1;
            if (slot.Crashes >= Backoff.ErroredAfter && !slot.Errored)
            {
                slot.Errored = true;
                log.Info($"worker {slot.Index} is errored: {slot.Crashes} failures in a row; still retrying every {Backoff.Max.TotalSeconds:0} s at most");
            }

            var delay = immediate ? TimeSpan.Zero : Backoff.Delay(slot.Crashes, Random.Shared.NextDouble());
            log.Info($"restarting worker {slot.Index} in {delay.TotalSeconds:0.0} s");
            await Task.Delay(delay, stopping.Token).ConfigureAwait(false);
            await changes.WaitAsync(stopping.Token).ConfigureAwait(false);
            try
            {
                if (slot.Current != crashed)
                {
                    return; // A reload replaced it meanwhile.
                }

                slot.Restarts++;
                var (fresh, why, _) = await LaunchReadyAsync(slot.Index, Generation).ConfigureAwait(false);
                if (fresh is not null)
                {
                    slot.Current = fresh;
                    slot.Errored = false;
                    Publish();
                    return;
                }

                log.Info($"worker {slot.Index} restart failed: {why}");
                crashed = null;
            }
            finally
            {
                changes.Release();
            }
        }
    }

    /// <summary>Out of rotation, in-flight requests finish (up to the mercy time), then the process is stopped.</summary>
    /// <remarks>
    /// A worker sharing the socket drains itself: on SIGTERM it stops accepting and finishes the request it has,
    /// so it gets the whole mercy time after SIGTERM.
    /// </remarks>
    private async Task RetireAsync(Worker worker)
    {
        worker.State = WorkerState.Retiring;
        if (worker.SharesListener)
        {
            await StopWorkerAsync(worker, config.Mercy).ConfigureAwait(false);
            return;
        }

        // Pairs with the front's increment-then-check: either it sees Retiring, or this sees its request.
        Interlocked.MemoryBarrier();
        var deadline = DateTimeOffset.UtcNow + config.Mercy;
        while (worker.InFlight > 0 && DateTimeOffset.UtcNow < deadline && worker.Process is { HasExited: false })
        {
            await Task.Delay(20).ConfigureAwait(false);
        }

        await StopWorkerAsync(worker).ConfigureAwait(false);
    }

    private async Task StopWorkerAsync(Worker worker, TimeSpan? allowed = null, int signal = Native.SigTerm)
    {
        worker.Stopping = true;
        var process = worker.Process;
        var grace = allowed ?? StopGrace;
        if (process is not null && !process.HasExited)
        {
            Native.KillGroup(process.Id, signal);
            using var timeout = new CancellationTokenSource(grace);
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                log.Info($"{worker} did not stop within {grace.TotalSeconds:0} s of {(signal == Native.SigTerm ? "SIGTERM" : "being asked to")}; killing it");
                Native.KillGroup(process.Id, Native.SigKill);
                await process.WaitForExitAsync().ConfigureAwait(false);
            }
        }

        worker.State = WorkerState.Stopped;
        Forget(worker);
    }

    private void Forget(Worker worker)
    {
        connector.Remove(worker);
        lock (gate)
        {
            live.Remove(worker);
        }

        try
        {
            File.Delete(worker.UnixPath);
            if (worker.StatsPath is { } stats)
            {
                File.Delete(stats);
            }
        }
        catch (IOException)
        {
        }
    }

    private void Publish()
    {
        var ready = slots.Select(s => s.Current).OfType<Worker>().Where(w => w.State == WorkerState.Ready).ToArray();
        Volatile.Write(ref routable, ready);
        if (ready.Length == 0)
        {
            noneReady.Set();
        }
        else
        {
            noneReady.Reset();
        }
    }
}
