namespace Hoist.Serve.Workers;

/// <summary>Where a worker is in its life; only <see cref="Ready"/> workers receive requests.</summary>
internal enum WorkerState
{
    Starting,
    Ready,
    Retiring,

    /// <summary>Out of rotation but kept alive after a reload with a hold, until it is committed (stopped) or reverted (back in rotation).</summary>
    Held,
    Stopped,
    Crashed,
}
