namespace Hoist.Serve.Workers;

/// <summary>
/// Reload requests, one reload at a time: requests that arrive while one waits to start share it (ten SIGHUPs
/// during a reload make one more, not ten), and each gets that reload's outcome.
/// </summary>
/// <remarks>A hold asked by any of the requests that share a reload is the reload's (the longest, when several ask one).</remarks>
internal sealed class ReloadQueue(SemaphoreSlim changes, Func<string, TimeSpan?, Task<ReloadOutcome>> reload, Func<ReloadOutcome> abandoned,
    Func<string, ReloadOutcome> failed, CancellationToken stopping)
{
    private readonly Lock gate = new();
    private TaskCompletionSource<ReloadOutcome>? queued;
    private TimeSpan? queuedHold;

    public Task<ReloadOutcome> Request(string reason, TimeSpan? hold = null)
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
            if (hold > (queuedHold ?? TimeSpan.MinValue))
            {
                queuedHold = hold;
            }
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
        TimeSpan? hold;
        lock (gate)
        {
            mine = queued!;
            hold = queuedHold;
            queued = null;
            queuedHold = null;
        }

        try
        {
            mine.SetResult(stopping.IsCancellationRequested ? abandoned() : await reload(reason, hold).ConfigureAwait(false));
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
