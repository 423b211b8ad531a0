namespace Hoist.Serve.Workers;

using Hoist.Serve.Logging;

/// <summary>Stops a worker's process group: a signal, up to the grace time to exit, then SIGKILL.</summary>
internal sealed class ProcessStopper(TimeProvider clock, ServeLog log)
{
    public async Task StopAsync(Worker worker, TimeSpan grace, int signal)
    {
        var process = worker.Process;
        if (process is null || process.HasExited)
        {
            return;
        }

        Native.KillGroup(process.Id, signal);
        using var timeout = new CancellationTokenSource(grace, clock);
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
}
