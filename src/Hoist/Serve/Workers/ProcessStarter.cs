namespace Hoist.Serve.Workers;

using System.Collections.Concurrent;
using System.Diagnostics;

/// <summary>Starts every worker process from one thread of its own, which lives exactly as long as hoist serve.</summary>
/// <remarks>
/// Workers run under `setpriv --pdeathsig TERM` so that they stop when hoist serve dies. The kernel sends that signal
/// when the *thread* that forked the worker exits, not the process (PR_SET_PDEATHSIG), and fork(2) happens on the thread
/// that calls Process.Start: a thread-pool thread, retired by the pool after 20 s idle, took its workers along. This
/// thread only forks, so it never blocks on anything else and never exits before hoist serve does.
/// </remarks>
internal sealed class ProcessStarter : IDisposable
{
    private readonly BlockingCollection<Request> requests = new();
    private readonly Thread thread;

    public ProcessStarter()
    {
        // A background thread: it must not keep hoist serve alive once Main returns (its workers go with it then).
        thread = new Thread(Run) { IsBackground = true, Name = "hoist launcher" };
        thread.Start();
    }

    /// <summary>Starts <paramref name="process"/> on the starter's thread; returns once it runs, or throws what Start threw.</summary>
    /// <exception cref="InvalidOperationException">After <see cref="Dispose"/>: hoist serve is stopping.</exception>
    public void Start(Process process)
    {
        var request = new Request(process);
        requests.Add(request);
        request.Done.Task.GetAwaiter().GetResult();
    }

    /// <summary>Ends the thread once the starts already asked for are done; workers it started get their SIGTERM then.</summary>
    public void Dispose()
    {
        requests.CompleteAdding();
        thread.Join();
    }

    private void Run()
    {
        foreach (var request in requests.GetConsumingEnumerable())
        {
            try
            {
                request.Process.Start();
                request.Done.SetResult();
            }
            catch (Exception error)
            {
                request.Done.SetException(error);
            }
        }
    }

    private sealed record Request(Process Process)
    {
        // Continuations never run on the starter's thread: it must be free for the next start.
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
