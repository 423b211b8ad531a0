namespace Hoist.Tests.Examples;

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Hoist.Tests.Support;

/// <summary>examples/flask under Debian's gunicorn (2 sync workers, wsgi:app) on a free loopback port.</summary>
public sealed class FlaskApp : IAsyncDisposable
{
    private readonly Process process;
    private readonly Task<string> stdout;
    private readonly Task<string> stderr;

    private FlaskApp(Process process, int port)
    {
        this.process = process;
        Port = port;
        stdout = process.StandardOutput.ReadToEndAsync();
        stderr = process.StandardError.ReadToEndAsync();
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(15) };
    }

    public int Port { get; }

    public HttpClient Http { get; }

    /// <summary>Starts gunicorn in <paramref name="appDir"/>; <paramref name="databaseUrl"/> null leaves DATABASE_URL unset.</summary>
    public static async Task<FlaskApp> StartAsync(string appDir, string? databaseUrl)
    {
        var port = FreePort.OnLoopback();
        var environment = new Dictionary<string, string>
        {
            ["PYTHONDONTWRITEBYTECODE"] = "1",
            ["HOIST_WORKER"] = "1",
            ["DATABASE_URL"] = databaseUrl ?? "", // empty is unset to the app, whatever the developer's shell has
            ["MIGRATE_DATABASE_URL"] = "",
        };

        // Debian's gunicorn runs /usr/bin/python3, whatever python3 comes first on PATH, so it sees python3-flask and python3-psycopg2.
        var process = Run.Start("/usr/bin/gunicorn", ["--bind", $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", "--workers", "2", "wsgi:app"], appDir, environment);
        var app = new FlaskApp(process, port);
        try
        {
            await app.WaitUntilListeningAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return app;
    }

    /// <summary>SIGTERM, gunicorn's graceful stop; returns the exit code and everything gunicorn and the app printed.</summary>
    public Task<RunResult> StopAsync() => Run.TerminateAsync(process, stdout, stderr, TimeSpan.FromSeconds(30));

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Run.KillAsync(process);
    }

    private async Task WaitUntilListeningAsync()
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"gunicorn exited with {process.ExitCode} before answering:\n{await stdout}{await stderr}");
            }

            try
            {
                // Any answer will do: /up is 503 on purpose when the database is wrong.
                using var response = await Http.GetAsync("/up");
                return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"gunicorn did not answer on port {Port} within 30 s");
    }

}
