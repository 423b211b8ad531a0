namespace Hoist.Serve.Workers;

/// <summary>One place in the worker pool: the worker serving it now, the release it runs, and its failure history.</summary>
/// <remarks><see cref="Current"/>, <see cref="Held"/>, <see cref="Restarting"/> and <see cref="Errored"/> change under <see cref="WorkerPool"/>'s lock.</remarks>
internal sealed class Slot(int index, Backoff backoff)
{
    public int Index { get; } = index;

    public Worker? Current { get; set; }

    /// <summary>
    /// The generation this slot's workers run: set when a worker of it is put in the slot (or its first start is tried),
    /// so that a restart or a recycle starts the same release and env-file; only a reload moves a slot to another.
    /// </summary>
    public GenerationRelease? Release { get; set; }

    /// <summary>The previous generation's worker a reload with a hold kept alive out of rotation; null once it is gone.</summary>
    public Worker? Held { get; set; }

    /// <summary>The release of that previous generation, kept while the hold lasts even when its worker died (a revert starts it then).</summary>
    public GenerationRelease? HeldRelease { get; set; }

    public Backoff Backoff { get; } = backoff;

    public int Restarts { get; set; }

    public bool Errored { get; set; }

    public bool Restarting { get; set; }

    /// <summary>Why the slot's last start failed, with the worker's last lines; null once a worker of it is ready.</summary>
    public string? LastFailure { get; set; }
}
