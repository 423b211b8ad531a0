namespace Hoist.Serve.Workers;

using System.Diagnostics;
using Hoist.Serve.Config;

/// <summary>Builds the process for a worker: its command, folder and environment.</summary>
internal sealed class WorkerLauncher(ServeConfig config, string runtimeDir)
{
    private readonly Lazy<WsgiServer> wsgi = new(WsgiServer.Detect);

    /// <summary>Fails early (at start, not at the first worker) when a WSGI app has no server to run it.</summary>
    public void Validate()
    {
        if (config.App is WsgiApp)
        {
            _ = wsgi.Value;
        }
    }

    /// <summary>The folder a new worker runs in: chdir with symlinks resolved now, so a new release is picked up.</summary>
    public string ResolveWorkdir()
    {
        var chdir = config.Chdir ?? Path.GetDirectoryName(config.SourcePath) ?? "/";
        return Native.RealPath(chdir) ?? throw new DirectoryNotFoundException($"chdir {chdir} does not exist");
    }

    public string SocketPathFor(int slot, int generation) => Path.Combine(runtimeDir, $"w{slot}g{generation}.sock");

    public ProcessStartInfo StartInfo(Worker worker)
    {
        var (program, args) = Command(worker);
        // setsid: the worker leads its own process group, so a stop reaches its children too;
        // setpriv --pdeathsig: it is told to stop if hoist serve itself dies.
        var start = new ProcessStartInfo("setsid")
        {
            WorkingDirectory = worker.Release,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])["setpriv", "--pdeathsig", "TERM", "--", program, .. args])
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in config.Env)
        {
            start.Environment[key] = value;
        }

        var port = worker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["PORT"] = port;
        start.Environment["SOCKET"] = worker.UnixPath;
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["HOIST_WORKER"] = worker.Slot.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["HOIST_RELEASE_PATH"] = worker.Release;
        if (config.App is WsgiApp app)
        {
            var existing = Environment.GetEnvironmentVariable("PYTHONPATH");
            var pythonPath = WsgiServer.PythonPath(app, worker.Release);
            start.Environment["PYTHONPATH"] = string.IsNullOrEmpty(existing) ? pythonPath : pythonPath + ":" + existing;
            start.Environment["PYTHONUNBUFFERED"] = "1";
            if (app.Optimize is > 0 and var level)
            {
                start.Environment["PYTHONOPTIMIZE"] = level.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return start;
    }

    private (string Program, IReadOnlyList<string> Args) Command(Worker worker) => config.App switch
    {
        // bash runs a single command by exec, so the worker pid is the app itself (dash would keep a shell in between).
        CommandApp command => ("bash", ["-c", command.Command]),
        WsgiApp app => (wsgi.Value.Program, wsgi.Value.Arguments(app, worker.UnixPath, worker.Release, config.Mercy)),
        _ => throw new InvalidOperationException("unknown app kind"),
    };
}
