namespace Hoist.Serve.Workers;

/// <summary>
/// Notices a ready worker whose process the kernel holds stopped (SIGSTOP, a stray debugger): it is alive, so no exit
/// brings a restart, yet it answers nothing. From the first look that finds it stopped it shows as frozen; once that has
/// lasted <paramref name="limit"/> it is due to be killed and restarted, as gunicorn's <c>timeout</c> does.
/// </summary>
internal sealed class FrozenWatch(TimeProvider clock, TimeSpan limit)
{
    private readonly Lock gate = new();
    private readonly Dictionary<Worker, DateTimeOffset> since = [];

    public TimeSpan Limit => limit;

    /// <summary>Looks at each of <paramref name="ready"/>; returns those stopped for the limit or longer.</summary>
    /// <remarks>A worker not among them, or no longer stopped (SIGCONT), is forgotten: its time starts again.</remarks>
    public IReadOnlyList<Worker> Check(IEnumerable<Worker> ready, Func<Worker, bool> isStopped)
    {
        var now = clock.GetUtcNow();
        var due = new List<Worker>();
        lock (gate)
        {
            var stopped = ready.Where(isStopped).ToHashSet();
            foreach (var gone in since.Keys.Where(w => !stopped.Contains(w)).ToList())
            {
                since.Remove(gone);
            }

            foreach (var worker in stopped)
            {
                var from = since.TryAdd(worker, now) ? now : since[worker];
                if (now - from >= limit)
                {
                    due.Add(worker);
                }
            }
        }

        return due;
    }

    /// <summary>When the worker was first seen stopped, or null when it was not at the last look.</summary>
    public DateTimeOffset? FrozenSince(Worker worker)
    {
        lock (gate)
        {
            return since.TryGetValue(worker, out var from) ? from : null;
        }
    }
}
