namespace Hoist.Serve.Workers;

using System.Diagnostics;
using Hoist.Serve.Config;

/// <summary>Builds the process for a worker: its command, folder and environment.</summary>
internal sealed class WorkerLauncher(ServeConfig config, string runtimeDir, ProcessStarter starter)
{
    private readonly Lazy<WsgiServer> wsgi = new(() => WsgiServer.Detect((config.App as WsgiApp)?.Venv, config.App is WsgiApp { Asgi: true }));

    /// <summary>Fails early (at start, not at the first worker) when a WSGI app has no server to run it.</summary>
    public void Validate()
    {
        if (config.App is WsgiApp app && wsgi.Value.Refuses(app) is { } problem)
        {
            throw new Hoist.Core.HoistException(problem);
        }

        if (SharesListener)
        {
            wsgi.Value.WriteWorkerProgram(runtimeDir);
        }
    }

    /// <summary>True when workers accept on hoist serve's own listening socket (a WSGI app under gunicorn, an ASGI app).</summary>
    public bool SharesListener => config.App is WsgiApp && wsgi.Value.SharesListener;

    /// <summary>The listening socket's descriptor, inherited by workers that share it.</summary>
    public int ListenFd { get; set; } = -1;

    /// <summary>A new, zeroed stats file for a sharing worker.</summary>
    public string CreateStatsFile(int slot, int generation, int serial)
    {
        var path = Path.Combine(runtimeDir, $"w{slot}g{generation}n{serial}.stats");
        File.WriteAllBytes(path, new byte[16]);
        return path;
    }

    /// <summary>The folder a new generation's workers run in: chdir with symlinks resolved now, so a reload picks up a new release.</summary>
    public string ResolveWorkdir()
    {
        var chdir = config.Chdir ?? Path.GetDirectoryName(config.SourcePath) ?? "/";
        return Native.RealPath(chdir) ?? throw new DirectoryNotFoundException($"chdir {chdir} does not exist");
    }

    /// <summary>A path of the worker's own: a replacement in the same slot and generation (a recycle) gets another.</summary>
    public string SocketPathFor(int slot, int generation, int serial) => Path.Combine(runtimeDir, $"w{slot}g{generation}n{serial}.sock");

    /// <summary>The env-file's entries, read now (once per generation: a changed file takes effect at the next reload); none without one.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ReadEnvFile() => config.EnvFile is { } path ? EnvFile.Read(path) : [];

    /// <summary>Starts a worker's process from the thread that lives as long as hoist serve (<see cref="ProcessStarter"/>).</summary>
    public void Start(Process process) => starter.Start(process);

    /// <param name="envFile">What <see cref="ReadEnvFile"/> read for this worker.</param>
    public ProcessStartInfo StartInfo(Worker worker, IReadOnlyList<KeyValuePair<string, string>> envFile)
    {
        var (program, args) = Command(worker);
        // The worker leads its own process group, so a stop reaches its children too: setsid makes one, and
        // hoist_gunicorn.py makes its own (setpgid) without a new session, which on a host without systemd's
        // cgroups would be a scheduling group of its own, weighing as much as all of nginx.
        // setpriv --pdeathsig: it is told to stop if hoist serve itself dies (precisely: when the thread that forked it
        // exits, hence Start and its one long-lived thread).
        string[] launch = worker.SharesListener ? ["setpriv"] : ["setsid", "setpriv"];
        var start = new ProcessStartInfo(launch[0])
        {
            WorkingDirectory = worker.Release,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])[.. launch[1..], "--pdeathsig", "TERM", "--", program, .. args])
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in envFile)
        {
            start.Environment[key] = value;
        }

        foreach (var (key, value) in config.Env)
        {
            start.Environment[key] = value;
        }

        // systemd's socket is hoist serve's alone (NotifyAccess=main): a worker must never report for the unit.
        start.Environment.Remove(Serve.SystemdNotifier.Variable);
        var port = worker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["PORT"] = port;
        start.Environment["SOCKET"] = worker.UnixPath;
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["HOIST_WORKER"] = worker.Slot.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["HOIST_RELEASE_PATH"] = worker.Release;
        // What the process inherited names hoist serve's folder; Python's and gunicorn's getcwd() prefer $PWD.
        start.Environment["PWD"] = worker.Release;
        if (config.App is WsgiApp configured)
        {
            var app = InRelease(configured, worker.Release);
            var existing = Environment.GetEnvironmentVariable("PYTHONPATH");
            var pythonPath = WsgiServer.PythonPath(app, worker.Release);
            start.Environment["PYTHONPATH"] = string.IsNullOrEmpty(existing) ? pythonPath : pythonPath + ":" + existing;
            start.Environment["PYTHONUNBUFFERED"] = "1";
            if (app.Venv is { } venv)
            {
                // As the venv's activate script sets them, so what the app starts (pip, manage.py's commands) is the venv's too.
                start.Environment["VIRTUAL_ENV"] = venv;
                start.Environment["PATH"] = Path.Combine(venv, "bin") + ":" + (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin");
                start.Environment.Remove("PYTHONHOME");
            }

            if (app.Optimize is > 0 and var level)
            {
                start.Environment["PYTHONOPTIMIZE"] = level.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            if (worker.SharesListener)
            {
                ShareListener(start, worker, app);
            }
        }

        return start;
    }

    /// <summary>What hoist_gunicorn.py and hoist_uvicorn.py read (and remove) from their environment.</summary>
    private void ShareListener(ProcessStartInfo start, Worker worker, WsgiApp app)
    {
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        start.Environment["HOIST_LISTEN_FD"] = ListenFd.ToString(invariant);
        start.Environment["HOIST_TOKEN"] = worker.Token;
        start.Environment[app.Asgi ? "HOIST_ASGI_APP" : "HOIST_WSGI_APP"] = WsgiServer.AppTarget(app, worker.Release);
        // The ASGI worker closes the WebSockets still open just before hoist serve would kill it.
        start.Environment["HOIST_MERCY"] = config.Mercy.TotalSeconds.ToString(invariant);
        start.Environment["HOIST_STATS"] = worker.StatsPath;
        start.Environment["HOIST_HEALTHCHECK"] = config.HealthCheck ?? "";
        start.Environment["HOIST_HEALTHCHECK_HOST"] = config.HealthCheckHost ?? ServeConfig.DefaultHealthCheckHost;
        start.Environment["HOIST_HARAKIRI"] = (config.Harakiri?.TotalSeconds ?? 0).ToString(invariant);
        start.Environment["HOIST_HEADER_TIMEOUT"] = config.ClientHeaderTimeout.TotalSeconds.ToString(invariant);
        start.Environment["HOIST_BODY_TIMEOUT"] = config.ClientBodyTimeout.TotalSeconds.ToString(invariant);
        start.Environment["HOIST_MAX_REQUESTS"] = worker.RecycleAfter.ToString(invariant);
        start.Environment["HOIST_THREADS"] = app.Threads.ToString(invariant);
    }

    /// <summary>
    /// The app with its wsgi-file and venv in the worker's own release. The configured path names the `current` link (chdir
    /// is resolved only for the folder), so PYTHONPATH, and with it every module and template found from it, would
    /// follow the link to a newer release while the old code runs. Under chdir it is taken relative to the folder
    /// this worker already resolved (one resolution: folder and imports never name two releases); elsewhere its
    /// folder's links are resolved now, once.
    /// </summary>
    private WsgiApp InRelease(WsgiApp app, string release) =>
        app with { File = app.File is { } file ? InRelease(file, release) : null, Venv = app.Venv is { } venv ? InRelease(venv, release) : null };

    private string InRelease(string file, string release)
    {
        var chdir = config.Chdir ?? Path.GetDirectoryName(config.SourcePath) ?? "/";
        var relative = Path.GetRelativePath(chdir, file);
        if (relative != ".." && !relative.StartsWith("../", StringComparison.Ordinal) && !Path.IsPathRooted(relative))
        {
            return Path.Combine(release, relative);
        }

        var folder = Path.GetDirectoryName(file) ?? "/";
        return Path.Combine(Native.RealPath(folder) ?? folder, Path.GetFileName(file));
    }

    private (string Program, IReadOnlyList<string> Args) Command(Worker worker) => config.App switch
    {
        // bash runs a single command by exec, so the worker pid is the app itself (dash would keep a shell in between).
        CommandApp command => ("bash", ["-c", command.Command]),
        WsgiApp app => (app.Venv is null ? wsgi.Value.Program : WsgiServer.VenvPython(InRelease(app, worker.Release).Venv!),
            wsgi.Value.Arguments(InRelease(app, worker.Release), worker.UnixPath, worker.Release, runtimeDir)),
        _ => throw new InvalidOperationException("unknown app kind"),
    };
}
