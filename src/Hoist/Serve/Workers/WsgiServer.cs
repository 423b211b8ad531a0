namespace Hoist.Serve.Workers;

using System.Diagnostics;
using Hoist.Core;
using Hoist.Serve.Config;

/// <summary>
/// Runs a Python app as one worker process: a WSGI app through gunicorn or waitress, whichever the host has (with
/// gunicorn the worker is hoist_gunicorn.py: gunicorn's sync worker accepting straight from hoist serve's own socket),
/// an ASGI app through uvicorn (hoist_uvicorn.py: uvicorn's server on that same socket, one event loop per worker).
/// </summary>
internal sealed record WsgiServer(string Name, string Program, IReadOnlyList<string> Prefix)
{
    /// <summary>The worker program shipped inside hoist, written to hoist serve's runtime folder at start.</summary>
    public const string GunicornWorker = "hoist_gunicorn.py";

    /// <summary>The ASGI worker program shipped inside hoist, written there too.</summary>
    public const string UvicornWorker = "hoist_uvicorn.py";

    /// <summary>uvicorn for an ASGI app (<paramref name="asgi"/>), else gunicorn or waitress (<see cref="Detect(string?)"/>).</summary>
    public static WsgiServer Detect(string? venv, bool asgi) => asgi ? DetectUvicorn(venv) : Detect(venv);

    /// <summary>
    /// uvicorn for the python of <paramref name="venv"/> when one is set, else the interpreter Debian's uvicorn was
    /// installed for (its #! line), else a python3 on PATH that imports it; a clear error if none.
    /// </summary>
    private static WsgiServer DetectUvicorn(string? venv)
    {
        if (venv is not null)
        {
            var interpreter = VenvPython(venv);
            if (!File.Exists(interpreter))
            {
                throw new HoistException(
                    $"venv {venv} has no bin/python; create it (python3 -m venv --system-site-packages {venv}, or hoist.yml's python: {{ venv: true }}) or correct venv");
            }

            return Succeeds(interpreter, "-c", "import uvicorn")
                ? new WsgiServer("uvicorn", interpreter, [])
                : throw new HoistException(
                    $"{interpreter} (venv) does not import uvicorn, which runs an ASGI app (asgi); add uvicorn to the venv's requirements, or make the venv with --system-site-packages on a host with Debian's python3-uvicorn");
        }

        // Debian's python3-uvicorn ships no uvicorn command, and a python3 first on PATH (pyenv's) may not be the one
        // it was installed for: the system's is asked last.
        var candidates = new[] { FindOnPath("uvicorn") is { } uvicorn ? Interpreter(uvicorn) : null, FindOnPath("python3"), "/usr/bin/python3" };
        return candidates.OfType<string>().Distinct().Where(File.Exists).FirstOrDefault(python => Succeeds(python, "-c", "import uvicorn")) is { } found
            ? new WsgiServer("uvicorn", found, [])
            : throw new HoistException(
                "an ASGI app (asgi) needs uvicorn on this host, and none was found; install it (Debian: apt-get install python3-uvicorn python3-websockets, " +
                "the second for WebSockets), or add it to the app's venv");
    }

    /// <summary>
    /// Finds gunicorn (preferred: it is what the seed's readers know) or waitress, for the python of
    /// <paramref name="venv"/> when one is set, else on PATH; a clear error if neither.
    /// </summary>
    public static WsgiServer Detect(string? venv)
    {
        if (venv is not null)
        {
            var interpreter = VenvPython(venv);
            if (!File.Exists(interpreter))
            {
                throw new HoistException(
                    $"venv {venv} has no bin/python; create it (python3 -m venv --system-site-packages {venv}, or hoist.yml's python: {{ venv: true }}) or correct venv");
            }

            if (Succeeds(interpreter, "-c", "import gunicorn"))
            {
                return new WsgiServer("gunicorn", interpreter, []);
            }

            if (Succeeds(interpreter, "-c", "import waitress"))
            {
                return new WsgiServer("waitress", interpreter, ["-m", "waitress"]);
            }

            throw new HoistException(
                $"{interpreter} (venv) imports neither gunicorn nor waitress; add gunicorn to the venv's requirements, or make the venv with --system-site-packages on a host with Debian's gunicorn");
        }

        if (FindOnPath("gunicorn") is { } gunicorn)
        {
            // The interpreter gunicorn was installed for (its #! line): the one that can import it.
            return new WsgiServer("gunicorn", Interpreter(gunicorn) ?? FindOnPath("python3") ?? "python3", []);
        }

        if (FindOnPath("python3") is { } python && Succeeds(python, "-c", "import waitress"))
        {
            return new WsgiServer("waitress", python, ["-m", "waitress"]);
        }

        throw new HoistException(
            "a WSGI app (wsgi-file or module) needs gunicorn or waitress on this host, and neither was found; " +
            "install one (Debian: apt-get install gunicorn, or python3-waitress), or give a `command` instead");
    }

    /// <summary>The interpreter of a virtualenv, not resolved: Python finds the venv (pyvenv.cfg) from the path it was started by.</summary>
    public static string VenvPython(string venv) => Path.Combine(venv, "bin", "python");

    /// <summary>True when workers accept on hoist serve's socket themselves (gunicorn); false when the front forwards to them (waitress).</summary>
    public bool SharesListener => Name is "gunicorn" or "uvicorn";

    /// <summary>The worker program of a server that shares the socket.</summary>
    public string WorkerProgram => Name == "uvicorn" ? UvicornWorker : GunicornWorker;

    /// <summary>
    /// The argument list for one worker: with gunicorn, the worker program in <paramref name="runtimeDir"/> (its
    /// settings go in the environment); with waitress, a server on the worker's own unix socket.
    /// </summary>
    public IReadOnlyList<string> Arguments(WsgiApp app, string socket, string workdir, string runtimeDir) =>
        SharesListener
            ? [Path.Combine(runtimeDir, WorkerProgram)]
            : [.. Prefix, $"--unix-socket={socket}", "--unix-socket-perms=600", .. WaitressThreads(app), .. WaitressTarget(app, workdir)];

    /// <summary>
    /// A problem with running <paramref name="app"/> under this server, or null: waitress calls an app factory
    /// (--call) but cannot pass it arguments, which gunicorn can.
    /// </summary>
    public string? Refuses(WsgiApp app) =>
        !SharesListener && app.Call is { Length: > 0 } args
            ? $"the app factory {app.Callable}({args}) takes arguments, which waitress (the WSGI server on this host) cannot pass; install gunicorn (Debian: apt-get install gunicorn), or read the setting from the environment in {app.Callable}()"
            : null;

    /// <summary>waitress serves on 4 threads unless told; Hoist's default, as gunicorn's, is one request at a time.</summary>
    private static string[] WaitressThreads(WsgiApp app) => [$"--threads={app.Threads.ToString(System.Globalization.CultureInfo.InvariantCulture)}"];

    /// <summary>waitress's target; for a factory, --call and the function's name (waitress calls it, with no arguments).</summary>
    private static string[] WaitressTarget(WsgiApp app, string workdir) =>
        app.Call is null ? [Target(app, workdir).Target] : ["--call", $"{app.Module}:{app.Callable}"];

    /// <summary>module:callable for the app, the callable with its call when it is a factory (gunicorn's import_app reads both).</summary>
    public static string AppTarget(WsgiApp app, string workdir) => Target(app, workdir).Target;

    /// <summary>The folder to add to PYTHONPATH.</summary>
    public static string PythonPath(WsgiApp app, string workdir) => Target(app, workdir).PythonPath;

    /// <summary>Writes this server's worker program into <paramref name="runtimeDir"/>.</summary>
    public void WriteWorkerProgram(string runtimeDir)
    {
        using var source = typeof(WsgiServer).Assembly.GetManifestResourceStream(WorkerProgram)
            ?? throw new InvalidOperationException($"{WorkerProgram} is missing from the hoist binary");
        using var target = File.Create(Path.Combine(runtimeDir, WorkerProgram));
        source.CopyTo(target);
    }

    private static (string Target, string PythonPath) Target(WsgiApp app, string workdir)
    {
        if (app.File is { } file)
        {
            var full = Path.IsPathRooted(file) ? file : Path.Combine(workdir, file);
            return ($"{Path.GetFileNameWithoutExtension(full)}:{app.Callable}", Path.GetDirectoryName(full) ?? workdir);
        }

        return ($"{app.Module}:{app.CallableExpression}", workdir);
    }

    private static string? Interpreter(string script)
    {
        using var reader = new StreamReader(script);
        var first = reader.ReadLine();
        if (first is null || !first.StartsWith("#!", StringComparison.Ordinal))
        {
            return null;
        }

        var words = first[2..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words switch
        {
            [var env, var name, ..] when env.EndsWith("/env", StringComparison.Ordinal) => FindOnPath(name),
            [var program, ..] when File.Exists(program) => program,
            _ => null,
        };
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
