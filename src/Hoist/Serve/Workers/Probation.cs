namespace Hoist.Serve.Workers;

/// <summary>
/// How long a reload's new workers must stay up after becoming ready before the reload counts on them. A release that
/// answers its health check and dies right after (crash-looping) must fail the reload while the old release can
/// still be brought back, instead of the reload reporting success over slots in restart backoff.
/// </summary>
/// <remarks>
/// Neither gunicorn nor uWSGI waits like this on a reload: gunicorn's arbiter halts only when a worker exits with its
/// boot- or app-load-error status (3, 4), and uWSGI respawns a worker that dies (slower when it respawns too fast), so
/// a release that dies after booting is found out there only once the old workers are gone.
/// One second: a crash at boot (an import-time thread, a port or a lock taken twice, a missing setting read at first
/// use of a lazy config) shows within milliseconds to a few hundred; it is paid at most twice per reload (the first
/// new worker, then the last), and partly hidden by the time its predecessor takes to drain.
/// </remarks>
internal sealed class Probation(TimeSpan minimum, TimeProvider clock)
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Until each of <paramref name="workers"/> has been ready for the minimum (when <paramref name="full"/>; else it
    /// only looks once); the first of them that died meanwhile, or null.
    /// </summary>
    public async Task<Worker?> FirstDeadAsync(IReadOnlyList<Worker> workers, bool full, CancellationToken stopping)
    {
        while (true)
        {
            if (workers.FirstOrDefault(w => w.Gone) is { } dead)
            {
                return dead;
            }

            var now = clock.GetUtcNow();
            if (!full || workers.All(w => now - (w.ReadyAt ?? DateTimeOffset.MinValue) >= minimum))
            {
                return null;
            }

            await Task.Delay(Retirer.Poll, clock, stopping).ConfigureAwait(false);
        }
    }
}
