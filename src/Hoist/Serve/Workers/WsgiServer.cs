namespace Hoist.Serve.Workers;

using System.Diagnostics;
using Hoist.Core;
using Hoist.Serve.Config;

/// <summary>Runs a Python WSGI app as one worker process, through gunicorn or waitress, whichever the host has.</summary>
internal sealed record WsgiServer(string Name, string Program, IReadOnlyList<string> Prefix)
{
    /// <summary>Finds gunicorn (preferred: it is what the seed's readers know) or waitress; a clear error if neither.</summary>
    public static WsgiServer Detect()
    {
        if (FindOnPath("gunicorn") is { } gunicorn)
        {
            return new WsgiServer("gunicorn", gunicorn, []);
        }

        if (FindOnPath("python3") is { } python && Succeeds(python, "-c", "import waitress"))
        {
            return new WsgiServer("waitress", python, ["-m", "waitress"]);
        }

        throw new HoistException(
            "a WSGI app (wsgi-file or module) needs gunicorn or waitress on this host, and neither was found; " +
            "install one (Debian: apt-get install gunicorn, or python3-waitress), or give a `command` instead");
    }

    /// <summary>The argument list that serves <paramref name="app"/> on 127.0.0.1:<paramref name="port"/>.</summary>
    /// <summary>
    /// The argument list that serves <paramref name="app"/> on the worker's unix socket: no TCP, and a connection
    /// the front keeps alive (gunicorn's gthread worker with one thread: still one request at a time, like a sync one).
    /// </summary>
    public IReadOnlyList<string> Arguments(WsgiApp app, string socket, string workdir, TimeSpan mercy)
    {
        var (target, pythonPath) = Target(app, workdir);
        return Name == "gunicorn"
            ? [.. Prefix, "--workers", "1", "--worker-class", "gthread", "--threads", "1", "--keep-alive", "30",
                "--bind", $"unix:{socket}", "--chdir", workdir, "--pythonpath", pythonPath,
                "--graceful-timeout", ((int)mercy.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--timeout", "0", "--log-level", "warning", target]
            : [.. Prefix, $"--unix-socket={socket}", "--unix-socket-perms=600", target];
    }

    /// <summary>The folder to add to PYTHONPATH (waitress has no flag for it).</summary>
    public static string PythonPath(WsgiApp app, string workdir) => Target(app, workdir).PythonPath;

    private static (string Target, string PythonPath) Target(WsgiApp app, string workdir)
    {
        if (app.File is { } file)
        {
            var full = Path.IsPathRooted(file) ? file : Path.Combine(workdir, file);
            return ($"{Path.GetFileNameWithoutExtension(full)}:{app.Callable}", Path.GetDirectoryName(full) ?? workdir);
        }

        return ($"{app.Module}:{app.Callable}", workdir);
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':')
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    private static bool Succeeds(string program, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(program, args) { RedirectStandardError = true, RedirectStandardOutput = true });
        process?.WaitForExit(10_000);
        return process is { HasExited: true, ExitCode: 0 };
    }
}
