namespace Hoist.Serve.Workers;

using System.Buffers.Binary;
using System.Diagnostics;
using Hoist.Shell;

/// <summary>One worker process and what the front and the stats need to know about it.</summary>
internal sealed class Worker
{
    private readonly TaskCompletionSource<string?> announced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int inFlight;
    private long requests;
    private int recycleAsked;

    public Worker(int slot, int generation, int port, string unixPath, string release, int recycleAfter, string? statsPath = null)
    {
        Slot = slot;
        Generation = generation;
        Port = port;
        UnixPath = unixPath;
        Release = release;
        RecycleAfter = recycleAfter;
        StatsPath = statsPath;
        Name = $"w{slot}g{generation}p{port}";
        Token = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8)).ToLowerInvariant();
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

    /// <summary>
    /// Set for a worker that accepts on hoist serve's own socket: the file it keeps its request count in. Such a
    /// worker announces itself on stdout (<see cref="WorkerNotice"/>) instead of being probed.
    /// </summary>
    public string? StatsPath { get; }

    public bool SharesListener => StatsPath is not null;

    /// <summary>Marks this worker's notices on its stdout, so that the app's own output is never taken for one.</summary>
    public string Token { get; }

    /// <summary>The host name the front uses for this worker; the connect callback maps it to the endpoint.</summary>
    public string Name { get; }

    public Process? Process { get; set; }

    /// <summary>Set once the process has started: it is in the status before then, and Process.Id would throw.</summary>
    public int Pid { get; set; }

    public volatile WorkerState State = WorkerState.Starting;

    /// <summary>True once the app answered on its unix socket rather than its port.</summary>
    public volatile bool UsesUnixSocket;

    public DateTimeOffset StartedAt { get; init; } = DateTimeOffset.UtcNow;

    public DateTimeOffset? ReadyAt { get; set; }

    /// <summary>
    /// Set while its last lines may yet explain its death: until it is ready, and for a reload's new worker until the
    /// reload ends (one that dies during its probation fails the reload with them). Afterwards they cost nothing.
    /// </summary>
    public volatile bool KeepsOutput = true;

    /// <summary>Its process's exit status, once it ended (null before, or when the status could not be read).</summary>
    public int? ExitStatus { get; set; }

    /// <summary>Set (under <see cref="WorkerPool"/>'s lock) once its process ended or it was forgotten: it is never put in a slot again.</summary>
    public bool Gone { get; set; }

    /// <summary>Set when Hoist stops the worker on purpose, so its exit is not a crash.</summary>
    public volatile bool Stopping;

    /// <summary>The request that ran past harakiri, when the worker said so before exiting.</summary>
    public string? HarakiriPath { get; set; }

    /// <summary>The worker's last lines of output (stdout and stderr), for the reason it failed to start.</summary>
    public OutputTail Output { get; } = new(10);

    /// <summary>The env-file's entries its generation read, which its process gets.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> EnvFile { get; init; } = [];

    /// <summary>What is hidden in the output this worker's failure shows: the values it got from the env-file.</summary>
    public SecretRedactor Secrets { get; init; } = SecretRedactor.None;

    /// <summary>Ends with null when a sharing worker says it is ready, or with why it is not.</summary>
    public Task<string?> Announced => announced.Task;

    public int InFlight => SharesListener ? (int)ReadStats().Busy : Volatile.Read(ref inFlight);

    public long Requests => SharesListener ? ReadStats().Served : Interlocked.Read(ref requests);

    /// <summary>Resident memory of the worker and its children, read now.</summary>
    public long RssBytes() => Pid > 0 ? ProcessTree.RssBytes(Pid) : 0;

    public void BeginRequest()
    {
        Interlocked.Increment(ref inFlight);
        Interlocked.Increment(ref requests);
    }

    public void EndRequest() => Interlocked.Decrement(ref inFlight);

    public void Announce(string? problem) => announced.TrySetResult(problem);

    /// <summary>True the first time only, so a worker past max-requests is recycled once, not once per request.</summary>
    public bool TryMarkForRecycling() => Interlocked.Exchange(ref recycleAsked, 1) == 0;

    public override string ToString() => $"worker {Slot} (pid {Pid}, generation {Generation})";

    /// <summary>The two counters hoist_gunicorn.py keeps in its stats file: requests served, and 1 while one runs.</summary>
    private (long Served, long Busy) ReadStats()
    {
        Span<byte> bytes = stackalloc byte[16];
        try
        {
            using var handle = File.OpenHandle(StatsPath!);
            if (RandomAccess.Read(handle, bytes, 0) < bytes.Length)
            {
                return (0, 0);
            }
        }
        catch (IOException)
        {
            return (0, 0);
        }

        return (BinaryPrimitives.ReadInt64LittleEndian(bytes), BinaryPrimitives.ReadInt64LittleEndian(bytes[8..]));
    }
}
