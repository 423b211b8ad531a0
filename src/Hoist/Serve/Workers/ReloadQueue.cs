namespace Hoist.Serve.Workers;

/// <summary>
/// Reload requests, one reload at a time: requests that arrive while one waits to start share it (ten SIGHUPs
/// during a reload make one more, not ten), and each gets that reload's outcome.
/// </summary>
internal sealed class ReloadQueue(SemaphoreSlim changes, Func<string, Task<ReloadOutcome>> reload, Func<ReloadOutcome> abandoned,
    Func<string, ReloadOutcome> failed, CancellationToken stopping)
{
    private readonly Lock gate = new();
    private TaskCompletionSource<ReloadOutcome>? queued;

    public Task<ReloadOutcome> Request(string reason)
    {
        TaskCompletionSource<ReloadOutcome>? created = null;
        Task<ReloadOutcome> outcome;
        lock (gate)
        {
            if (queued is null)
            {
                queued = created = new TaskCompletionSource<ReloadOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            outcome = queued.Task;
        }

        // Started outside the lock: it may run synchronously up to its first wait and take the queued reload.
        if (created is not null)
        {
            _ = RunAsync(reason);
        }

        return outcome;
    }

    private async Task RunAsync(string reason)
    {
        await changes.WaitAsync().ConfigureAwait(false);
        TaskCompletionSource<ReloadOutcome> mine;
        lock (gate)
        {
            mine = queued!;
            queued = null;
        }

        try
        {
            mine.SetResult(stopping.IsCancellationRequested ? abandoned() : await reload(reason).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            mine.SetResult(abandoned());
        }
        catch (Exception error)
        {
            mine.SetResult(failed($"reload failed: {error.Message}"));
        }
        finally
        {
            changes.Release();
        }
    }
}
