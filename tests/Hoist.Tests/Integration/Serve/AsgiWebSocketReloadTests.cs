namespace Hoist.Tests.Integration.Serve;

using System.Diagnostics;
using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// A Starlette app (Apps/asgiapp) under hoist serve's uvicorn workers (<c>asgi = app:app</c>, 2 workers), behind a real
/// nginx with Hoist's WebSocket lines, the CPU saturated by a hog: a WebSocket opened before a touch-reload still
/// echoes from its old worker once the new generation is ready, and is closed by the server (1012) only near the
/// mercy time; plain HTTP through nginx fails nothing meanwhile.
/// </summary>
public sealed class AsgiWebSocketReloadTests(ITestOutputHelper output)
{
    private const int MercySeconds = 15;
    private const int HttpClients = 4;

    [Fact]
    public async Task WebSocket_Survives_A_Reload_Until_Mercy_And_Http_Fails_Nothing_With_The_Cpu_Saturated()
    {
        using var dir = new TempDir("hoist-asgi-ws");
        ServeApps.OpenForNginx(dir);
        var socket = Path.Combine(await ServeApps.SocketFolderAsync(dir), "app.sock");
        var layout = new ReleaseLayout(dir.Combine("deploy"));
        var source = ServeApps.CopyAsgiApp(dir.Combine("app"));
        await layout.AddReleaseAsync("A", source);
        await layout.AddReleaseAsync("B", source);
        await layout.SwitchAsync("A");
        var touch = dir.Write("reload", "");
        var ini = dir.Write("serve.ini", string.Join('\n', [
            "[uwsgi]",
            $"socket = {socket}",
            "chmod-socket = 660",
            "processes = 2",
            $"chdir = {layout.Current}",
            "asgi = app:app",
            "healthcheck = /up",
            $"pidfile = {dir.Combine("serve.pid")}",
            $"logto = {dir.Combine("serve.log")}",
            $"touch-reload = {touch}",
            $"worker-reload-mercy = {MercySeconds}",
            "vacuum = true",
            ""]));
        await using var serve = await ServeProcess.StartAsync(ini, socket + ".ctl", ready: 2, dir.Combine("serve.log"));
        await using var nginx = await TestNginx.StartAsync(dir.Combine("nginx"), socket, websockets: true);
        var echoUri = new Uri($"ws://127.0.0.1:{nginx.Port}/echo");
        Assert.StartsWith("rev-A ", await nginx.Http.GetStringAsync(""), StringComparison.Ordinal);

        using var hog = CpuHog.Start();
        using var ws = await EchoSocket.ConnectAsync(echoUri, TestNginx.ServerName);
        var before = await ws.EchoAsync("before");
        output.WriteLine($"echo before the reload: {before}");
        Assert.StartsWith("rev-A ", before, StringComparison.Ordinal);

        using var load = new CancellationTokenSource();
        var http = Enumerable.Range(0, HttpClients).Select(_ => HttpLoadAsync(nginx.Http, load.Token)).ToList();
        await layout.SwitchAsync("B");
        var clock = Stopwatch.StartNew();
        File.SetLastWriteTimeUtc(touch, DateTime.UtcNow);
        var reloaded = await serve.WaitForStatusAsync(s => s.Reloads > 0, "the reload", TimeSpan.FromSeconds(60));
        var readyAt = clock.Elapsed;
        Assert.True(reloaded.LastReload is { Ok: true }, $"{reloaded.LastReload?.Message}\n{serve.Log()}");
        var newWorkers = reloaded.Workers.Where(w => w.Generation == 2 && w.State == "ready").ToList();

        // The new generation is ready (and serving): the socket opened on the old one still echoes, from it.
        var after = await ws.EchoAsync("after");
        var afterAt = clock.Elapsed;
        var fresh = await EchoSocket.ConnectAsync(echoUri, TestNginx.ServerName);
        var freshEcho = await fresh.EchoAsync("new");
        fresh.Dispose();
        var closed = await ws.WaitForCloseAsync(TimeSpan.FromSeconds(MercySeconds + 15));
        var closedAt = clock.Elapsed;
        await load.CancelAsync();
        var results = await Task.WhenAll(http);

        output.WriteLine($"reload: {reloaded.LastReload!.Message}, after {readyAt.TotalSeconds:F1} s; new ready workers: {newWorkers.Count}");
        output.WriteLine($"echo after the new generation was ready ({afterAt.TotalSeconds:F1} s): {after}");
        output.WriteLine($"a new socket's echo: {freshEcho}");
        output.WriteLine($"old socket closed by the server: {closed} at {closedAt.TotalSeconds:F1} s after the touch (mercy {MercySeconds} s), status {(int?)ws.CloseStatus} '{ws.CloseDescription}'");
        output.WriteLine($"HTTP through nginx during the reload: {results.Sum(r => r.Ok)} ok, {results.Sum(r => r.Failed)} failed; {string.Join("; ", results.SelectMany(r => r.Failures).Distinct().Take(5))}");
        output.WriteLine(hog.ToString());
        Assert.Equal(2, newWorkers.Count);
        Assert.NotNull(after);
        Assert.Equal(before!.Split(':')[0], after!.Split(':')[0]);
        Assert.StartsWith("rev-B ", freshEcho, StringComparison.Ordinal);
        Assert.True(closed, $"the old socket was still open {MercySeconds + 15} s after the reload\n{serve.Log()}");
        Assert.Equal(1012, (int?)ws.CloseStatus);
        // Closed by the worker as mercy ran out, not at the reload: after the new generation was ready and after the
        // echo that followed it, and not before half the mercy time.
        Assert.True(closedAt > afterAt && closedAt > TimeSpan.FromSeconds(MercySeconds / 2.0), $"closed at {closedAt}");
        Assert.Equal(0, results.Sum(r => r.Failed));
        Assert.True(results.Sum(r => r.Ok) >= 20, $"only {results.Sum(r => r.Ok)} requests were made");
        Assert.Contains("rev-B ", results.SelectMany(r => r.Bodies), StringComparer.Ordinal);
        Assert.DoesNotContain("Traceback", serve.Log(), StringComparison.Ordinal);
    }

    /// <summary>Requests / through nginx one after another until cancelled or a bounded count; each a 200 or a failure.</summary>
    private static async Task<HttpLoad> HttpLoadAsync(HttpClient http, CancellationToken stop)
    {
        var result = new HttpLoad();
        for (var i = 0; i < 5000 && !stop.IsCancellationRequested; i++)
        {
            try
            {
                using var answer = await http.GetAsync("", CancellationToken.None);
                var body = await answer.Content.ReadAsStringAsync(CancellationToken.None);
                if (answer.IsSuccessStatusCode)
                {
                    result.Ok++;
                    result.Bodies.Add(body.Split(' ')[0] + " ");
                }
                else
                {
                    result.Failed++;
                    result.Failures.Add($"{(int)answer.StatusCode} {body.Trim()}");
                }
            }
            catch (HttpRequestException error)
            {
                result.Failed++;
                result.Failures.Add(error.Message);
            }
        }

        return result;
    }

    private sealed class HttpLoad
    {
        public int Ok { get; set; }

        public int Failed { get; set; }

        public HashSet<string> Bodies { get; } = [];

        public List<string> Failures { get; } = [];
    }
}
