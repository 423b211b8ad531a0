namespace Hoist.Tests.Integration.Serve;

using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// The front against a worker that closes a kept-alive connection just as the next request arrives on it (an app's
/// keep-alive timeout against the front's pool), here on every reused connection: each such GET must be sent again
/// on a new connection, even with a single worker, and each failure logged with the worker and its cause.
/// </summary>
public sealed class KeepAliveRaceTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Gets_Sent_On_Connections_The_Worker_Closes_Are_Sent_Again_On_New_Ones_And_Nothing_Fails()
    {
        using var dir = new TempDir("hoist-keepalive-race");
        ServeApps.CopyHttpApp(dir.Path);
        var (ini, socket) = CommandIni.Write(dir, 1, "exec python3 app.py 1.1-drop", "healthcheck = /up", $"logto = {dir.Combine("serve.log")}");
        await using var serve = await ServeProcess.StartAsync(ini, socket + ".ctl", ready: 1, dir.Combine("serve.log"));
        using var http = UnixHttp.Create(socket);

        var load = new ClientLoad(http, "api/info", clients: 8, ReloadDrill.ReleaseOf);
        LoadResult result;
        await using (load)
        {
            // Until the front has met the race a hundred times (each reused connection is one), or 20 s at most.
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (Races(serve) < 100 && clock.Elapsed < TimeSpan.FromSeconds(20))
            {
                await Task.Delay(50);
            }

            result = await load.StopAsync();
        }

        var log = serve.Log();
        var races = Races(serve);
        output.WriteLine($"load, 1 worker, direct on the socket: {result}; forwarding failures logged: {races}");
        output.WriteLine(log.Split('\n').FirstOrDefault(l => l.Contains("forwarding", StringComparison.Ordinal)) ?? "(no forwarding failure logged)");

        Assert.True(result.Failures.Count == 0, $"{result}\n{log}");
        Assert.True(races > 0, $"the worker never closed a reused connection under the request: the drill proved nothing\n{log}");
        Assert.Contains("forwarding GET /api/info to worker 1 (pid", log, StringComparison.Ordinal);
        Assert.Contains("sending it again on a new connection", log, StringComparison.Ordinal);
    }

    private static int Races(ServeProcess serve) =>
        serve.Log().Split('\n').Count(l => l.Contains("forwarding", StringComparison.Ordinal) && l.Contains("failed", StringComparison.Ordinal));
}
