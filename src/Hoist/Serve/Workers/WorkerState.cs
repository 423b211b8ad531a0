namespace Hoist.Serve.Workers;

/// <summary>Where a worker is in its life; only <see cref="Ready"/> workers receive requests.</summary>
internal enum WorkerState
{
    Starting,
    Ready,
    Retiring,
    Stopped,
    Crashed,
}
