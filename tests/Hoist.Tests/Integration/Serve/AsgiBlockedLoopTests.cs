namespace Hoist.Tests.Integration.Serve;

using System.Diagnostics;
using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// An ASGI handler that blocks its event loop (time.sleep in an async def: the usual requests.get or synchronous
/// database call) holds every request of its worker, and the worker still looks ready. With both workers so held, the
/// app answered nothing and --status said "ready" for as long as the sleep lasted; now a worker whose loop has not
/// turned for harakiri seconds exits with the loop's stack in the log and is restarted, under a CPU hog.
/// </summary>
public sealed class AsgiBlockedLoopTests(ITestOutputHelper output)
{
    private const string BlockingRoute = """

        import time as _time


        async def block(request):
            with open("../../held-%d" % os.getpid(), "w"):
                pass
            _time.sleep(600)
            return PlainTextResponse("woke\n")


        app.routes.append(Route("/block", block))
        """;

    [Fact]
    public async Task Workers_Whose_Event_Loop_A_Blocking_Call_Holds_Are_Replaced_After_Harakiri_With_The_Stack_Logged()
    {
        using var dir = new TempDir("hoist-asgi-blocked");
        var layout = new ReleaseLayout(dir.Combine("deploy"));
        var source = ServeApps.CopyAsgiApp(dir.Combine("app"));
        var a = await layout.AddReleaseAsync("A", source);
        await File.AppendAllTextAsync(Path.Combine(a, "app.py"), BlockingRoute);
        await layout.SwitchAsync("A");
        var socket = dir.Combine("app.sock");
        var ini = dir.Write("serve.ini", string.Join('\n', [
            "[uwsgi]", $"socket = {socket}", "processes = 2", $"chdir = {layout.Current}", "asgi = app:app", "healthcheck = /up",
            "harakiri = 3", $"logto = {dir.Combine("serve.log")}", "worker-reload-mercy = 5", ""]));
        await using var serve = await ServeProcess.StartAsync(ini, socket + ".ctl", ready: 2, dir.Combine("serve.log"));
        var before = (await serve.StatusAsync()).Workers.Select(w => w.Pid).ToHashSet();
        using var hog = CpuHog.Start();

        // A held worker accepts nothing more, so the second request goes to the other one: both are held.
        using var blocking = UnixHttp.Create(socket, TimeSpan.FromSeconds(60));
        var held = new List<Task<HttpResponseMessage>>();
        for (var i = 1; i <= 2; i++)
        {
            held.Add(blocking.GetAsync("/block"));
            await HeldAsync(layout.Root, i);
        }

        var clock = Stopwatch.StartNew();

        // The app answers again once both held workers were replaced by fresh ones.
        var replaced = await serve.WaitForStatusAsync(
            s => s.Workers.Count(w => w.State == "ready" && !before.Contains(w.Pid)) == 2, "two new ready workers", TimeSpan.FromSeconds(40));
        var replacedAt = clock.Elapsed;
        using var http = UnixHttp.Create(socket, TimeSpan.FromSeconds(10));
        var answer = await http.GetStringAsync("/");
        var failed = await Task.WhenAll(held.Select(async t =>
        {
            try
            {
                return $"{(int)(await t).StatusCode}";
            }
            catch (HttpRequestException error)
            {
                return error.HttpRequestError.ToString();
            }
        }));
        var log = serve.Log();
        var stackLine = log.Split('\n').FirstOrDefault(l => l.Contains("_time.sleep(600)", StringComparison.Ordinal));

        output.WriteLine($"both workers replaced {replacedAt.TotalSeconds:F1} s after both were held (harakiri 3 s); restarts {string.Join(", ", replaced.Workers.Select(w => w.Restarts))}");
        output.WriteLine($"/ then answered: {answer.Trim()}; the held /block requests: {string.Join(", ", failed)}");
        output.WriteLine($"logged: {log.Split('\n').FirstOrDefault(l => l.Contains("has not turned", StringComparison.Ordinal))}");
        output.WriteLine($"stack line: {stackLine}");
        output.WriteLine(hog.ToString());
        Assert.StartsWith("rev-A ", answer, StringComparison.Ordinal);
        // Replaced by the loop's watch at the configured limit (not the 30 s default), as its line says: no timing asserted.
        Assert.Contains("the event loop has not turned for", log, StringComparison.Ordinal);
        Assert.Contains("(harakiri 3 s)", log, StringComparison.Ordinal);
        Assert.NotNull(stackLine);
    }

    /// <summary>Until <paramref name="count"/> workers wrote their held-PID file, entering the blocking sleep.</summary>
    private static async Task HeldAsync(string root, int count)
    {
        var clock = Stopwatch.StartNew();
        while (Directory.GetFiles(root, "held-*").Length < count)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"{count} worker(s) were never held on /block");
            await Task.Delay(50);
        }
    }
}
