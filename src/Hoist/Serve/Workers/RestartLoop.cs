namespace Hoist.Serve.Workers;

using Hoist.Serve.Logging;

/// <summary>
/// Brings a slot back after its worker died or never got ready: waits the slot's backoff, then starts a worker of the
/// slot's own generation (its release, not whatever `current` is now), again until one is ready or hoist serve stops.
/// One loop per slot at a time.
/// </summary>
internal sealed class RestartLoop(
    WorkerPool pool, SemaphoreSlim changes, Func<int, GenerationRelease> resolve, Func<int> generation,
    Func<int, GenerationRelease, Task<StartResult>> start, TimeProvider clock, ServeLog log, CancellationToken stopping)
{
    /// <param name="crashed">False when the worker exited on purpose (harakiri): its first restart is at once.</param>
    /// <param name="readyAt">When the worker that died had become ready (null: it never did), for the backoff's reset.</param>
    /// <returns>The loop, for whoever wants to wait for it (tests); a completed task when the slot already restarts.</returns>
    public Task Schedule(Slot slot, bool crashed = true, DateTimeOffset? readyAt = null)
    {
        if (stopping.IsCancellationRequested || !pool.BeginRestart(slot))
        {
            return Task.CompletedTask;
        }

        return Task.Run(async () =>
        {
            var installed = false;
            try
            {
                installed = await RunAsync(slot, crashed, readyAt).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // hoist serve is stopping.
            }
            finally
            {
                // A loop that installed a worker ended the restarting with it (WorkerPool.Install): clearing it here
                // could end the restarting that the new worker's death, right after, began.
                if (!installed)
                {
                    pool.EndRestart(slot);
                }
            }
        });
    }

    /// <returns>True when it put a ready worker in the slot.</returns>
    private async Task<bool> RunAsync(Slot slot, bool crashedFirst, DateTimeOffset? readyAt)
    {
        var immediate = !crashedFirst;
        while (!stopping.IsCancellationRequested)
        {
            var delay = immediate ? TimeSpan.Zero : slot.Backoff.Failed(readyAt);
            immediate = false;
            readyAt = null;
            if (slot.Backoff.Errored && !slot.Errored)
            {
                slot.Errored = true;
                log.Info($"worker {slot.Index} is errored: {slot.Backoff.Failures} failures in a row; still retrying every {Backoff.Max.TotalSeconds:0} s at most");
            }

            log.Info($"restarting worker {slot.Index} in {delay.TotalSeconds:0.0} s");
            await Task.Delay(delay, clock, stopping).ConfigureAwait(false);
            await changes.WaitAsync(stopping).ConfigureAwait(false);
            try
            {
                if (slot.Current is { Gone: false })
                {
                    return false; // A reload or a recycle put a worker there meanwhile.
                }

                slot.Restarts++;
                var result = await StartAsync(slot).ConfigureAwait(false);
                if (result.Worker is { } fresh && pool.Install(slot, fresh, slot.Release!, endsRestart: true))
                {
                    return true;
                }

                slot.LastFailure = result.Worker is null ? result.Failure : "exited right after becoming ready";
                log.Info($"worker {slot.Index} restart failed: {result.Why}");
            }
            finally
            {
                changes.Release();
            }
        }

        return false;
    }

    /// <summary>On the slot's own release; a slot whose generation never resolved (its chdir was missing) tries again now.</summary>
    private Task<StartResult> StartAsync(Slot slot)
    {
        if (slot.Release is null)
        {
            try
            {
                slot.Release = resolve(generation());
            }
            catch (Exception error) when (error is IOException or FormatException or UnauthorizedAccessException)
            {
                return Task.FromResult(new StartResult(null, $"could not be started: {error.Message}", ""));
            }
        }

        return start(slot.Index, slot.Release);
    }
}
