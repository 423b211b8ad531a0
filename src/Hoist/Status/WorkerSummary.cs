namespace Hoist.Status;

using Hoist.Serve.Control;

/// <summary>hoist serve's workers as one cell: ready slots of all, restarts, memory (the server's and its workers').</summary>
internal sealed record WorkerSummary(int Ready, int Total, int Restarts, long MemoryBytes)
{
    /// <summary>Counts slots, not processes: during a reload a slot has an old and a new worker, and a held one is not serving.</summary>
    public static WorkerSummary From(ServeStatus status)
    {
        var slots = status.Workers.GroupBy(w => w.Slot).ToList();
        return new WorkerSummary(
            slots.Count(s => s.Any(w => w.State == "ready")),
            slots.Count,
            slots.Sum(s => s.Max(w => w.Restarts)),
            status.RssBytes + status.Workers.Sum(w => w.RssBytes));
    }
}
