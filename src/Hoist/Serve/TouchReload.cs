namespace Hoist.Serve;

/// <summary>The seed's touch-reload: a change of the file's modification time (or its creation) asks for a reload.</summary>
internal sealed class TouchReload(string? path, Func<Task> reload)
{
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(500);

    public async Task RunAsync(CancellationToken cancel)
    {
        if (path is null)
        {
            return;
        }

        var last = Stamp();
        using var timer = new PeriodicTimer(Period);
        try
        {
            while (await timer.WaitForNextTickAsync(cancel).ConfigureAwait(false))
            {
                var now = Stamp();
                if (now != last && now is not null)
                {
                    last = now;
                    _ = reload();
                }

                last = now ?? last;
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private DateTime? Stamp() => File.Exists(path) ? File.GetLastWriteTimeUtc(path!) : null;
}
