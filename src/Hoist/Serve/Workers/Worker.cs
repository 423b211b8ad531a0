namespace Hoist.Serve.Workers;

using System.Diagnostics;

/// <summary>One worker process and what the front and the stats need to know about it.</summary>
internal sealed class Worker
{
    private int inFlight;
    private long requests;
    private int recycleAsked;

    public Worker(int slot, int generation, int port, string unixPath, string release, int recycleAfter)
    {
        Slot = slot;
        Generation = generation;
        Port = port;
        UnixPath = unixPath;
        Release = release;
        RecycleAfter = recycleAfter;
        Name = $"w{slot}g{generation}p{port}";
    }

    /// <summary>The worker's place in the pool (1..N): a replacement takes the same slot.</summary>
    public int Slot { get; }

    public int Generation { get; }

    public int Port { get; }

    /// <summary>Where the app may listen instead of <see cref="Port"/> (<c>$SOCKET</c>).</summary>
    public string UnixPath { get; }

    /// <summary>The folder the worker started in (chdir resolved), e.g. releases/20261124040102.</summary>
    public string Release { get; }

    /// <summary>The request count after which this worker is recycled (max-requests with jitter), or 0.</summary>
    public int RecycleAfter { get; }

    /// <summary>The host name the front uses for this worker; the connect callback maps it to the endpoint.</summary>
    public string Name { get; }

    public Process? Process { get; set; }

    /// <summary>Set once the process has started: it is in the status before then, and Process.Id would throw.</summary>
    public int Pid { get; set; }

    public volatile WorkerState State = WorkerState.Starting;

    /// <summary>True once the app answered on its unix socket rather than its port.</summary>
    public volatile bool UsesUnixSocket;

    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    public DateTimeOffset? ReadyAt { get; set; }

    /// <summary>Set when Hoist stops the worker on purpose, so its exit is not a crash.</summary>
    public volatile bool Stopping;

    public int InFlight => Volatile.Read(ref inFlight);

    public long Requests => Interlocked.Read(ref requests);

    /// <summary>Resident memory of the worker and its children, read now.</summary>
    public long RssBytes() => Pid > 0 ? ProcessTree.RssBytes(Pid) : 0;

    public void BeginRequest()
    {
        Interlocked.Increment(ref inFlight);
        Interlocked.Increment(ref requests);
    }

    public void EndRequest() => Interlocked.Decrement(ref inFlight);

    /// <summary>True the first time only, so a worker past max-requests is recycled once, not once per request.</summary>
    public bool TryMarkForRecycling() => Interlocked.Exchange(ref recycleAsked, 1) == 0;

    public override string ToString() => $"worker {Slot} (pid {Pid}, generation {Generation})";
}
