namespace Hoist.Serve.Workers;

/// <summary>One place in the worker pool: the worker serving it now, and its crash history.</summary>
internal sealed class Slot(int index)
{
    public int Index { get; } = index;

    public Worker? Current { get; set; }

    /// <summary>Crashes since the slot last had a worker that stayed up for <see cref="Backoff.StableAfter"/>.</summary>
    public int Crashes { get; set; }

    public int Restarts { get; set; }

    public bool Errored { get; set; }

    public bool Restarting { get; set; }
}
