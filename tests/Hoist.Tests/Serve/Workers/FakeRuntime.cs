namespace Hoist.Tests.Serve.Workers;

using Hoist.Serve.Workers;

/// <summary>
/// Workers without processes, for the supervisor's unit tests: each start is recorded, readiness and exits happen when
/// the test says, and stops are recorded with their grace and the (fake) time they began.
/// </summary>
internal sealed class FakeRuntime(TimeProvider clock) : IWorkerRuntime
{
    private readonly Lock gate = new();
    private readonly Dictionary<Worker, Action<Worker, int?>> exits = [];
    private readonly HashSet<Worker> exited = [];
    private int serial;
    private int attempts;

    /// <summary>What `current` resolves to now; a test switches it as a deploy would.</summary>
    public string Current { get; set; } = "/srv/app/releases/A";

    /// <summary>Given the start's number (1, 2, ...), an exception Start throws (the process could not be started), or null.</summary>
    public Func<int, Exception?> StartFails { get; set; } = _ => null;

    /// <summary>How a started worker's readiness ends; ready at once unless a test says otherwise.</summary>
    public Func<Worker, Task<(bool Ready, string Why)>> Readiness { get; set; } = _ => Task.FromResult((true, ""));

    /// <summary>Called inside StopAsync, before the worker exits: a test may hold the stop there.</summary>
    public Func<Worker, Task> OnStop { get; set; } = _ => Task.CompletedTask;

    public List<Worker> Started { get; } = [];

    public List<(Worker Worker, TimeSpan Grace, int Signal, DateTimeOffset At)> Stops { get; } = [];

    public HashSet<Worker> Forgotten { get; } = [];

    public HashSet<Worker> Released { get; } = [];

    public Dictionary<Worker, long> Rss { get; } = [];

    public int Resolves { get; private set; }

    public bool SharesListener => false;

    /// <summary>Thrown by Resolve when set (`current` points nowhere).</summary>
    public Exception? ResolveFails { get; set; }

    public GenerationRelease Resolve(int generation)
    {
        if (ResolveFails is { } error)
        {
            throw error;
        }

        Resolves++;
        return new GenerationRelease(generation, Current, []);
    }

    public Worker Create(int slot, GenerationRelease release, int recycleAfter)
    {
        var number = Interlocked.Increment(ref serial);
        return new Worker(slot, release.Number, 10000 + number, $"/fake/w{number}.sock", release.Folder, recycleAfter) { StartedAt = clock.GetUtcNow() };
    }

    public void Start(Worker worker, Action<Worker, int?> exited, Action<Worker, string> recycle)
    {
        lock (gate)
        {
            if (StartFails(++attempts) is { } error)
            {
                throw error;
            }

            worker.Pid = 1000 + worker.Port - 10000;
            exits[worker] = exited;
            Started.Add(worker);
        }
    }

    public Task<(bool Ready, string Why)> WaitReadyAsync(Worker worker, CancellationToken cancel) => Readiness(worker);

    public bool HasExited(Worker worker)
    {
        lock (gate)
        {
            return exited.Contains(worker);
        }
    }

    public Task DrainedAsync(Worker worker) => Task.CompletedTask;

    public long RssBytes(Worker worker)
    {
        lock (gate)
        {
            return Rss.GetValueOrDefault(worker);
        }
    }

    public async Task StopAsync(Worker worker, TimeSpan grace, int signal)
    {
        lock (gate)
        {
            // What Process.HasExited says of a process never started.
            if (!Started.Contains(worker))
            {
                throw new InvalidOperationException("No process is associated with this object.");
            }

            Stops.Add((worker, grace, signal, clock.GetUtcNow()));
        }

        await OnStop(worker);
        Exit(worker, 0);
    }

    /// <summary>Pauses and resumes, in order: ("pause" or "resume", the worker).</summary>
    public List<(string What, Worker Worker)> Pauses { get; } = [];

    public void Pause(Worker worker)
    {
        lock (gate)
        {
            Pauses.Add(("pause", worker));
        }
    }

    public void Resume(Worker worker)
    {
        lock (gate)
        {
            Pauses.Add(("resume", worker));
        }
    }

    /// <summary>Workers a test says the kernel holds stopped (SIGSTOP).</summary>
    public HashSet<Worker> Frozen { get; } = [];

    /// <summary>Workers killed (SIGKILL) as frozen, in order; each exits at once with no status, as a signal's death.</summary>
    public List<Worker> Killed { get; } = [];

    public bool IsStopped(Worker worker)
    {
        lock (gate)
        {
            return Frozen.Contains(worker);
        }
    }

    public void Kill(Worker worker)
    {
        lock (gate)
        {
            Killed.Add(worker);
        }

        Exit(worker, null);
    }

    public void Forget(Worker worker)
    {
        lock (gate)
        {
            Forgotten.Add(worker);
        }
    }

    public void Release(Worker worker)
    {
        lock (gate)
        {
            Released.Add(worker);
        }
    }

    /// <summary>The worker's process ends (kill -9, a crash): what its Exited event would say.</summary>
    public void Exit(Worker worker, int? status)
    {
        Action<Worker, int?> exit;
        lock (gate)
        {
            if (!exited.Add(worker))
            {
                return;
            }

            exit = exits[worker];
        }

        exit(worker, status);
    }
}
