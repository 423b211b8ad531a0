namespace Hoist.Tests.Integration.Serve;

using Hoist.Tests.Support;

/// <summary>
/// Releases of a `command` app for a <see cref="ReleaseLayout"/>: each says how it starts in its start.sh (as a
/// Procfile would), so that `command = sh start.sh` with `chdir = …/current` runs whatever release a worker got.
/// </summary>
internal static class CommandReleases
{
    /// <summary>An HTTP/1.1 keep-alive server on $PORT whose api/info answers its folder's name as the release.</summary>
    public const string Serving = """
        import json, os
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        RELEASE = os.path.basename(os.getcwd())

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                body = json.dumps({"release": RELEASE, "pid": os.getpid()}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        ThreadingHTTPServer.daemon_threads = True
        ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), Handler).serve_forever()

        """;

    /// <summary>releases/<paramref name="id"/> running <see cref="Serving"/>.</summary>
    public static async Task AddServingAsync(ReleaseLayout layout, string id)
    {
        var release = layout.Release(id);
        Directory.CreateDirectory(release);
        await File.WriteAllTextAsync(Path.Combine(release, "app.py"), Serving);
        await File.WriteAllTextAsync(Path.Combine(release, "start.sh"), "exec python3 app.py\n");
    }

    /// <summary>releases/<paramref name="id"/> whose start.sh prints <paramref name="lines"/> on stderr and exits with status 3.</summary>
    public static async Task AddCrashingAsync(ReleaseLayout layout, string id, params string[] lines)
    {
        var release = layout.Release(id);
        Directory.CreateDirectory(release);
        var echo = string.Concat(lines.Select(line => $"echo '{line}' >&2\n"));
        await File.WriteAllTextAsync(Path.Combine(release, "start.sh"), echo + "exit 3\n");
    }

    /// <summary>
    /// Answers like <see cref="Serving"/> (its /up too), but 10 ms after answering /up prints its first argument on
    /// stderr and exits with status 3: ready, then dead, as a crash-looping release.
    /// </summary>
    public const string DyingAfterReady = """
        import json, os, sys, threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        RELEASE = os.path.basename(os.getcwd())

        def die():
            print(sys.argv[1], file=sys.stderr, flush=True)
            os._exit(3)

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                body = json.dumps({"release": RELEASE, "pid": os.getpid()}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                if self.path == "/up":
                    threading.Timer(0.01, die).start()

            def log_message(self, *args):
                pass

        ThreadingHTTPServer.daemon_threads = True
        ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), Handler).serve_forever()

        """;

    /// <summary>releases/<paramref name="id"/> running <see cref="DyingAfterReady"/>, whose last line is <paramref name="line"/>.</summary>
    public static async Task AddDyingAfterReadyAsync(ReleaseLayout layout, string id, string line)
    {
        var release = layout.Release(id);
        Directory.CreateDirectory(release);
        await File.WriteAllTextAsync(Path.Combine(release, "app.py"), DyingAfterReady);
        await File.WriteAllTextAsync(Path.Combine(release, "start.sh"), $"exec python3 app.py {Hoist.Shell.ShellQuote.Quote(line)}\n");
    }

    /// <summary>The ini these tests share: `sh start.sh` in `current`, health path /up, and <paramref name="extra"/>.</summary>
    public static (string Ini, string Socket) WriteIni(TempDir dir, ReleaseLayout layout, params string[] extra) =>
        CommandIni.Write(dir, layout.Current, 2, "sh start.sh", [
            "healthcheck = /up",
            $"logto = {dir.Combine("serve.log")}",
            $"pidfile = {dir.Combine("serve.pid")}",
            "worker-reload-mercy = 5",
            "vacuum = true",
            .. extra]);
}
