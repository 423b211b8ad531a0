namespace Hoist.Serve.Workers;

using Hoist.Serve.Logging;

/// <summary>
/// Replaces a worker that served max-requests, grew past reload-on-rss or ran past harakiri: one at a time, through
/// the reload path (its successor ready before it leaves rotation), on its slot's own release.
/// </summary>
internal sealed class Recycler(
    IWorkerRuntime runtime, WorkerPool pool, SemaphoreSlim changes, Func<Slot, Task<StartResult>> replace, int? reloadOnRssMiB, ServeLog log,
    CancellationToken stopping)
{
    /// <returns>The replacement's end, for whoever wants to wait for it (tests).</returns>
    public Task Recycle(Worker worker, string reason) => Task.Run(async () =>
    {
        try
        {
            await changes.WaitAsync(stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return; // hoist serve is stopping.
        }

        try
        {
            var slot = pool[worker.Slot];
            if (slot.Current != worker || stopping.IsCancellationRequested)
            {
                return;
            }

            log.Info($"recycling {worker}: {reason}");
            var replaced = await replace(slot).ConfigureAwait(false);
            if (replaced.Worker is null)
            {
                log.Info($"recycling {worker} failed, it keeps serving: {replaced.Why}");
            }
        }
        finally
        {
            changes.Release();
        }
    });

    /// <summary>Called by the front after each request, to recycle a worker that reached max-requests.</summary>
    public void RequestDone(Worker worker)
    {
        // At or past, not equal: with requests in flight the count can step over RecycleAfter between two checks.
        if (worker.RecycleAfter > 0 && worker.Requests >= worker.RecycleAfter && worker.TryMarkForRecycling())
        {
            _ = Recycle(worker, $"served {worker.Requests} requests (max-requests)");
        }
    }

    /// <summary>Reads each worker's memory; recycles one past reload-on-rss.</summary>
    public void Sample()
    {
        if (reloadOnRssMiB is not { } limit)
        {
            return;
        }

        foreach (var worker in pool.Live)
        {
            var rss = runtime.RssBytes(worker);
            if (worker.State == WorkerState.Ready && rss > limit * 1024L * 1024)
            {
                _ = Recycle(worker, $"resident memory {rss / (1024 * 1024)} MiB > reload-on-rss {limit} MiB");
            }
        }
    }
}
