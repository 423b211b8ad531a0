namespace Hoist.Serve.Front;

using Hoist.Serve.Workers;

/// <summary>Chooses the ready worker with the fewest requests in flight, rotating among equals.</summary>
internal sealed class WorkerPicker
{
    private int cursor;

    public Worker? Pick(IReadOnlyList<Worker> ready)
    {
        if (ready.Count == 0)
        {
            return null;
        }

        var start = (int)((uint)Interlocked.Increment(ref cursor) % (uint)ready.Count);
        Worker? best = null;
        for (var i = 0; i < ready.Count; i++)
        {
            var candidate = ready[(start + i) % ready.Count];
            if (candidate.State == WorkerState.Ready && (best is null || candidate.InFlight < best.InFlight))
            {
                best = candidate;
            }
        }

        return best;
    }
}
