namespace Hoist.Serve.Workers;

using Hoist.Serve.Logging;

/// <summary>
/// Starts one worker and waits until it is ready; one that is not is stopped, and the start's answer says why, with
/// its last output lines (redacted: the one place worker output enters a message).
/// </summary>
internal sealed class WorkerStarter(
    IWorkerRuntime runtime, WorkerPool pool, Retirer retirer, IWorkerEvents events, int? maxRequests, Func<double> random01, TimeProvider clock, ServeLog log)
{
    /// <param name="watched">A reload's new worker: its output is kept after ready too, until the reload ends.</param>
    public async Task<StartResult> StartReadyAsync(int slot, GenerationRelease release, CancellationToken stopping, bool watched = false)
    {
        Worker worker;
        try
        {
            worker = runtime.Create(slot, release, RecycleAfter());
            runtime.Start(worker, events.Exited, events.RecycleAsked);
        }
        catch (Exception error) when (error is IOException or System.ComponentModel.Win32Exception or InvalidOperationException or UnauthorizedAccessException or FormatException)
        {
            return new StartResult(null, $"could not be started: {error.Message}", "");
        }

        // Only now, with its process running: a start that threw leaves no phantom for a stop to trip on.
        pool.Register(worker);
        var (ready, why) = await runtime.WaitReadyAsync(worker, stopping).ConfigureAwait(false);
        if (!ready)
        {
            await retirer.StopAsync(worker).ConfigureAwait(false);
            var output = worker.Output.Shown();
            if (!stopping.IsCancellationRequested)
            {
                runtime.Release(worker);
            }

            return new StartResult(null, worker.Secrets.Redact(why), output);
        }

        worker.KeepsOutput = watched;
        worker.ReadyAt = clock.GetUtcNow();
        worker.State = WorkerState.Ready;
        log.Info($"{worker} ready on {Endpoint(worker)} in {worker.Release}");
        return StartResult.Ready(worker);
    }

    /// <summary>max-requests plus up to a tenth more, so that workers started together are not recycled together.</summary>
    private int RecycleAfter() => maxRequests is { } max ? max + (int)(random01() * (Math.Max(1, max / 10) + 1)) : 0;

    private static string Endpoint(Worker worker) =>
        worker.SharesListener ? "the shared socket" : worker.UsesUnixSocket ? worker.UnixPath : $"127.0.0.1:{worker.Port}";
}
