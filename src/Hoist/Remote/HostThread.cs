namespace Hoist.Remote;

/// <summary>
/// Runs a blocking call on a thread of its own, never on the thread pool. SSH.NET waits synchronously (key exchange and
/// authentication in ConnectAsync, channel open and exec in ExecuteAsync, every read of a command's output and every
/// write to its input): on pool threads, 20 hosts blocked 40-60 of them, and the pool grows by about one a second on
/// 2 cores, so hosts started seconds apart.
/// </summary>
internal static class HostThread
{
    public static Task Run(Action work) =>
        Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.LongRunning | TaskCreationOptions.DenyChildAttach, TaskScheduler.Default);

    public static Task<T> Run<T>(Func<T> work) =>
        Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.LongRunning | TaskCreationOptions.DenyChildAttach, TaskScheduler.Default);
}
