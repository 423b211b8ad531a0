namespace Hoist.Serve.Workers;

/// <summary>
/// Takes workers out of service: a retiring worker gets up to worker-reload-mercy to finish its in-flight requests,
/// then SIGTERM and again up to the mercy time to exit, then SIGKILL.
/// </summary>
/// <remarks>A worker sharing the socket drains itself: on SIGTERM it stops accepting and finishes the request it has.</remarks>
internal sealed class Retirer(IWorkerRuntime runtime, WorkerPool pool, TimeSpan mercy, TimeProvider clock)
{
    /// <summary>How often a draining worker's in-flight count is looked at.</summary>
    public static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    public async Task RetireAsync(Worker worker)
    {
        worker.State = WorkerState.Retiring;
        await DrainAsync(worker).ConfigureAwait(false);
        await StopAsync(worker).ConfigureAwait(false);
    }

    /// <summary>
    /// Takes the worker out of service but keeps it alive (a reload's hold): no new requests (one sharing the socket
    /// stops accepting), up to the mercy time for those in flight to finish.
    /// </summary>
    public async Task HoldAsync(Worker worker)
    {
        worker.State = WorkerState.Held;
        runtime.Pause(worker);
        await DrainAsync(worker).ConfigureAwait(false);
    }

    private async Task DrainAsync(Worker worker)
    {
        if (worker.SharesListener)
        {
            return;
        }

        // Pairs with the front's increment-then-check: either it sees Retiring (or Held), or this sees its request.
        Interlocked.MemoryBarrier();
        var deadline = clock.GetUtcNow() + mercy;
        while (worker.InFlight > 0 && clock.GetUtcNow() < deadline && !runtime.HasExited(worker))
        {
            await Task.Delay(Poll, clock).ConfigureAwait(false);
        }
    }

    /// <summary>Stops the worker's process now (its exit is no crash) and forgets it.</summary>
    public async Task StopAsync(Worker worker, int signal = Native.SigTerm)
    {
        worker.Stopping = true;
        await runtime.StopAsync(worker, mercy, signal).ConfigureAwait(false);
        worker.State = WorkerState.Stopped;
        pool.Forget(worker);
    }
}
