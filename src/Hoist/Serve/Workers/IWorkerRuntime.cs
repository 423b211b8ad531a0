namespace Hoist.Serve.Workers;

/// <summary>
/// Worker processes as the supervisor sees them: start one, wait until it is ready, stop it, forget it. The real one
/// is <see cref="ProcessWorkerRuntime"/>; unit tests give a fake, so the supervisor's logic runs without any process.
/// </summary>
internal interface IWorkerRuntime
{
    /// <summary>True when workers accept on hoist serve's own socket and drain themselves.</summary>
    bool SharesListener { get; }

    /// <summary>Resolves a new generation's release folder and env-file, now. Throws (IOException, FormatException) when it cannot.</summary>
    GenerationRelease Resolve(int generation);

    /// <summary>A new worker of <paramref name="release"/> for the slot: its port, socket path and files, no process yet.</summary>
    Worker Create(int slot, GenerationRelease release, int recycleAfter);

    /// <summary>
    /// Starts the worker's process. Throws when it cannot be started (then nothing of it is left). <paramref name="exited"/>
    /// is called once when the process ends, with its status; <paramref name="recycle"/> when the worker asks to be replaced.
    /// </summary>
    void Start(Worker worker, Action<Worker, int?> exited, Action<Worker, string> recycle);

    /// <summary>Until the worker answers its health check (true), or it exited or ready-timeout passed (false, and why).</summary>
    Task<(bool Ready, string Why)> WaitReadyAsync(Worker worker, CancellationToken cancel);

    bool HasExited(Worker worker);

    /// <summary>Until an exited worker's output was read to the end (bounded), so that its last lines can say why it died.</summary>
    Task DrainedAsync(Worker worker);

    long RssBytes(Worker worker);

    /// <summary>Sends <paramref name="signal"/> to the worker's process group, waits up to <paramref name="grace"/>, then kills it.</summary>
    Task StopAsync(Worker worker, TimeSpan grace, int signal);

    /// <summary>A held worker takes no new requests while it stays alive: one sharing the socket stops accepting on it.</summary>
    void Pause(Worker worker);

    /// <summary>A held worker put back in rotation: one sharing the socket accepts on it again.</summary>
    void Resume(Worker worker);

    /// <summary>True when the kernel holds the worker's process stopped (<see cref="FrozenWatch"/>).</summary>
    bool IsStopped(Worker worker);

    /// <summary>SIGKILL to the worker's process group, as a crash: its exit is reported and its slot restarted.</summary>
    void Kill(Worker worker);

    /// <summary>Drops what the runtime keeps for a worker that is gone (its route, its socket and stats files). Called more than once is fine.</summary>
    void Forget(Worker worker);

    /// <summary>
    /// The worker is out of every hand (no slot's, not live, no probe or retire on it): its process is disposed once
    /// it has exited and its output was read to the end. Not at <see cref="Forget"/>: a crash forgets the worker while
    /// a probe or a retire may still read its process.
    /// </summary>
    void Release(Worker worker);
}
