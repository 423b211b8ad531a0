namespace Hoist.Serve.Config;

/// <summary>
/// Everything <c>hoist serve</c> runs by: where it listens, which app its workers run and how many, and how
/// they are reloaded, recycled and logged. Read from a uWSGI-style ini or from hoist.yml's <c>serve:</c>.
/// </summary>
internal sealed record ServeConfig
{
    /// <summary>The file the settings came from, for messages.</summary>
    public required string SourcePath { get; init; }

    /// <summary>How many worker processes (uWSGI <c>processes</c>/<c>workers</c>).</summary>
    public int Workers { get; init; } = 2;

    /// <summary>Where nginx or clients reach the app (<c>socket</c>/<c>http-socket</c>).</summary>
    public required ListenAddress Listen { get; init; }

    /// <summary>Mode of a unix listening socket (<c>chmod-socket</c>, octal as written: 664).</summary>
    public UnixFileMode? SocketMode { get; init; }

    public string? PidFile { get; init; }

    /// <summary>Log file for hoist serve and its workers' output (<c>logto</c>); null = stderr.</summary>
    public string? LogTo { get; init; }

    /// <summary>Rotate <see cref="LogTo"/> past this size (<c>log-maxsize</c>, bytes; default 50 MiB).</summary>
    public long LogMaxBytes { get; init; } = 50L * 1024 * 1024;

    /// <summary>A file whose change (touch) triggers a graceful reload (<c>touch-reload</c>).</summary>
    public string? TouchReload { get; init; }

    /// <summary>The workers' working folder (<c>chdir</c>), resolved (symlinks too) once per generation: first start, each reload.</summary>
    public string? Chdir { get; init; }

    public required WorkerApp App { get; init; }

    /// <summary>Environment for workers (<c>env = KEY=VALUE</c>, repeatable).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Env { get; init; } = [];

    /// <summary>
    /// A file of <c>NAME=value</c> lines for workers (<c>env-file</c>, e.g. shared/.env written by hoist setup), read
    /// once per generation (first start, each reload), so a changed file takes effect at the next reload; <see cref="Env"/> wins over it.
    /// </summary>
    public string? EnvFile { get; init; }

    /// <summary>Remove the socket and pidfile on exit (<c>vacuum</c>).</summary>
    public bool Vacuum { get; init; }

    /// <summary>Per-request hard timeout (<c>harakiri</c>, seconds): 504 to the client and the worker replaced; for an ASGI app, the longest its event loop may not turn (30 s when unset).</summary>
    public TimeSpan? Harakiri { get; init; }

    /// <summary>
    /// The longest a client may take to send a request's head (<c>client-header-timeout</c>, seconds; default 10),
    /// counted from the worker's accept: a gunicorn worker reads the request itself, so a client trickling its head
    /// would otherwise hold a sync worker for good. Past it the client gets 408 (or, having sent nothing, is closed).
    /// </summary>
    public TimeSpan ClientHeaderTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The longest a request's body may stall between two reads (<c>client-body-timeout</c>, seconds; default 30), and
    /// its grace before it must average 240 bytes/s. Under gunicorn also the longest one send of the answer may wait
    /// for the client to take a byte: a stall limit alone lets a byte a second, or a client reading nothing, hold a
    /// sync worker for good.
    /// </summary>
    public TimeSpan ClientBodyTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Recycle a worker after this many requests (<c>max-requests</c>), with jitter.</summary>
    public int? MaxRequests { get; init; }

    /// <summary>Recycle a worker whose resident memory passes this many MiB (<c>reload-on-rss</c>).</summary>
    public int? ReloadOnRssMiB { get; init; }

    /// <summary>A path that answers 2xx or 3xx when a worker is ready (<c>healthcheck</c>, e.g. /up); null = the port accepts.</summary>
    public string? HealthCheck { get; init; }

    /// <summary>
    /// The Host header of the health check (<c>healthcheck-host</c>): a name the app accepts (Django's ALLOWED_HOSTS);
    /// null = <see cref="DefaultHealthCheckHost"/>. hoist setup writes its site's first server_name.
    /// </summary>
    public string? HealthCheckHost { get; init; }

    public const string DefaultHealthCheckHost = "localhost";

    /// <summary>How long a new worker may take to become ready (<c>ready-timeout</c>, seconds; default 60).</summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long a ready worker may stay stopped by the kernel (SIGSTOP) before it is killed and restarted: status shows
    /// it frozen meanwhile. Not an ini key yet; gunicorn's <c>timeout</c> is 30 s.
    /// </summary>
    public TimeSpan FrozenLimit { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How long a retiring worker may finish in-flight requests, and then take to exit after SIGTERM (<c>worker-reload-mercy</c>, seconds; default 30).</summary>
    public TimeSpan Mercy { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a reload's first and last new worker must stay up once ready before the reload counts on it
    /// (<c>reload-probation</c>, seconds; default 1; 0: only whether it is alive is looked at).
    /// </summary>
    public TimeSpan ReloadProbation { get; init; } = Hoist.Serve.Workers.Probation.Default;

    /// <summary>
    /// The longest a graceful reload may take (each worker in turn: ready-timeout, the mercy time to drain and again
    /// to exit after SIGTERM, a margin), which
    /// `--reload` waits and the systemd unit allows (TimeoutStartSec times ExecReload too, and covers the first start).
    /// </summary>
    public TimeSpan ReloadWait => (ReadyTimeout + Mercy * 2 + TimeSpan.FromSeconds(15)) * Workers;

    /// <summary>
    /// The longest a graceful stop may take: the front's drain, the workers' drain and their SIGTERM grace, each up to
    /// the mercy time, and a margin; which `--stop` waits and the systemd unit allows (TimeoutStopSec).
    /// </summary>
    public TimeSpan StopWait => Mercy * 3 + TimeSpan.FromSeconds(30);

    /// <summary>The control socket for status and reload (<c>control-socket</c>); default derived from the listen address.</summary>
    public required string ControlSocket { get; init; }

    /// <summary>
    /// Whether <see cref="ControlSocket"/> was set rather than derived. A TCP listener's default depends on the user
    /// hoist serve runs as, so hoist setup writes the socket only when set and lets the host derive its own.
    /// </summary>
    public bool ControlSocketSet { get; init; }
}
