namespace Hoist.Tests.Examples;

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Hoist.Tests.Support;

/// <summary>One running HoistDemo worker on a free loopback port, with SQLite in a data folder of its own.</summary>
public sealed class AspnetApp : IAsyncDisposable
{
    private readonly Process process;
    private readonly Task<string> stdout;
    private readonly Task<string> stderr;

    private AspnetApp(Process process, int port, TempDir data)
    {
        this.process = process;
        Port = port;
        Data = data;
        stdout = process.StandardOutput.ReadToEndAsync();
        stderr = process.StandardError.ReadToEndAsync();
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
    }

    public int Port { get; }

    public int Pid => process.Id;

    /// <summary>HOIST_DATA_DIR, where visits.db goes.</summary>
    public TempDir Data { get; }

    public HttpClient Http { get; }

    /// <summary>How long the first 200 on /up took after the process was started.</summary>
    public TimeSpan StartTime { get; private set; }

    public static async Task<AspnetApp> StartAsync(string appDir, string worker)
    {
        var port = FreePort.OnLoopback();
        var data = new TempDir("hoist-aspnet-data");
        var clock = Stopwatch.StartNew();
        var process = Run.Start("dotnet", ["HoistDemo.dll"], appDir, new Dictionary<string, string>
        {
            ["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["HOIST_WORKER"] = worker,
            ["HOIST_DATA_DIR"] = data.Path,
            ["DATABASE_URL"] = "", // SQLite, whatever the developer's shell has
            ["DOTNET_NOLOGO"] = "1",
        });
        var app = new AspnetApp(process, port, data);
        try
        {
            await app.WaitUntilUpAsync(clock);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return app;
    }

    /// <summary>SIGTERM, as `hoist serve` stops a worker; returns the exit code and everything it printed.</summary>
    public Task<RunResult> StopAsync() => Run.TerminateAsync(process, stdout, stderr, TimeSpan.FromSeconds(15));

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Run.KillAsync(process);
        Data.Dispose();
    }

    private async Task WaitUntilUpAsync(Stopwatch clock)
    {
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"HoistDemo exited with {process.ExitCode} before answering /up:\n{await stdout}{await stderr}");
            }

            try
            {
                using var response = await Http.GetAsync("/up");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    StartTime = clock.Elapsed;
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(20);
        }

        process.Kill(entireProcessTree: true);
        throw new TimeoutException($"HoistDemo did not answer /up on port {Port} within 30 s:\n{await stdout}{await stderr}");
    }

}
