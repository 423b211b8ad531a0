namespace Hoist.Tests.Integration.Serve;

using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// `hoist serve` with a Flask app (Debian's python3-flask) as WSGI workers, run by gunicorn or waitress from the
/// ini's wsgi-file and callable, as the seed chapter runs it under uWSGI; all real processes.
/// </summary>
public sealed class FlaskServeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Seed_Style_Ini_Serves_Flask_Through_Nginx_And_The_App_Sees_The_Forwarded_Headers()
    {
        using var dir = new TempDir("hoist-serve-flask");
        ServeApps.OpenForNginx(dir);
        var run = await ServeApps.SocketFolderAsync(dir);
        ServeApps.CopyFlaskApp(dir.Combine("myproject"));
        // The seed's ini, its paths made real (and the socket in a folder of nginx's group), plus a health check.
        var ini = dir.Write("myproject.ini", string.Join('\n',
            "[uwsgi]",
            $"user-home = {dir.Path}",
            "project-name = myproject",
            "project-path = %(user-home)/%(project-name)",
            "",
            "# make sure paths exist",
            $"socket = {run}/%(project-name).sock",
            "pidfile = %(user-home)/%(project-name).pid",
            "logto = %(user-home)/uwsgi.%(project-name).log",
            "touch-reload = %(user-home)/reload",
            "chdir = %(project-path)",
            "wsgi-file = %(project-path)/wsgi.py",
            "callable = app",
            "chmod-socket = 664",
            "",
            "master = true",
            "processes = 2",
            "vacuum = true",
            "die-on-term = true",
            "optimize = 2",
            "healthcheck = /up",
            ""));
        var socket = Path.Combine(run, "myproject.sock");
        await using var serve = await ServeProcess.StartAsync(ini, socket + ".ctl", ready: 2, dir.Combine("uwsgi.myproject.log"));
        await using var nginx = await TestNginx.StartAsync(dir.Combine("nginx"), socket);

        using var page = await nginx.Http.GetAsync("/");
        var html = await page.Content.ReadAsStringAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/headers");
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "203.0.113.7");
        using var echoed = await nginx.Http.SendAsync(request);
        using var headers = JsonDocument.Parse(await echoed.Content.ReadAsStringAsync());
        // A worker serves one request at a time, so two at once are answered by the two workers.
        var pids = (await Task.WhenAll(Enumerable.Range(0, 2).Select(async _ =>
        {
            using var slow = JsonDocument.Parse(await nginx.Http.GetStringAsync("/slow?ms=500"));
            return slow.RootElement.GetProperty("pid").GetInt32();
        }))).ToHashSet();
        var workers = (await serve.StatusAsync()).Workers.Where(w => pids.Contains(w.Pid)).Select(w => w.Slot.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();

        output.WriteLine($"GET / via nginx: {(int)page.StatusCode}; /headers: {headers.RootElement}; workers answering: {string.Join(", ", workers.Order())}");
        Assert.True(page.StatusCode == HttpStatusCode.OK, $"{(int)page.StatusCode} {html}\n{nginx.Errors()}\n{serve.Log()}");
        Assert.Contains("Hello from myproject", html, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead, File.GetUnixFileMode(socket));
        var echo = headers.RootElement;
        Assert.Equal(TestNginx.ServerName, echo.GetProperty("host").GetString());
        // nginx appends the client (127.0.0.1) to what the client sent; the workers get nginx's headers as they are.
        Assert.Equal("203.0.113.7, 127.0.0.1", echo.GetProperty("x_forwarded_for").GetString());
        Assert.Equal("http", echo.GetProperty("x_forwarded_proto").GetString());
        Assert.Equal(TestNginx.ServerName, echo.GetProperty("x_forwarded_host").GetString());
        Assert.Equal(["1", "2"], workers.Order());
    }

    [Fact]
    public async Task Sigterm_Under_Load_Lets_Requests_In_Flight_Finish_Then_Vacuums_Socket_And_Pidfile_And_Exits_0()
    {
        using var dir = new TempDir("hoist-serve-term");
        var (ini, socket) = WriteIni(dir, "worker-reload-mercy = 15");
        await using var serve = await ServeProcess.StartAsync(ini, socket + ".ctl", ready: 2, dir.Combine("serve.log"));
        var workerPids = (await serve.StatusAsync()).Workers.Select(w => w.Pid).ToList();
        using var slowHttp = UnixHttp.Create(socket);
        using var http = UnixHttp.Create(socket);

        // Two slow requests per worker: a WSGI worker serves one request at a time, so two are at the workers and
        // two wait in the socket's queue; then a load of quick ones on top. All must finish.
        var slowRequests = Enumerable.Range(0, 4).Select(async _ =>
        {
            using var response = await slowHttp.GetAsync("slow?ms=1500");
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }).ToList();
        await serve.WaitForStatusAsync(s => s.Workers.Sum(w => w.InFlight) >= 2, "the slow requests in flight");
        await Task.Delay(100);
        var load = new ClientLoad(http, "api/info", clients: 8, pause: TimeSpan.FromMilliseconds(20));
        LoadResult result;
        List<(int Status, string Body)> slow;
        int exitCode;
        long termAt;
        await using (load)
        {
            // SIGTERM lands on a load that runs, not on one still starting.
            await load.RunsOnAsync(8 * 2);
            termAt = ClientLoad.Now;
            await serve.SignalAsync("TERM");
            exitCode = await serve.WaitForExitAsync(TimeSpan.FromSeconds(30));
            var stoppedAfter = Stopwatch.GetElapsedTime(termAt);
            slow = [.. await Task.WhenAll(slowRequests)];
            result = await load.StopAsync();
            output.WriteLine($"SIGTERM with {slow.Count} slow requests in flight: exited {exitCode} after {stoppedAfter.TotalMilliseconds:0} ms; " +
                $"slow: {string.Join(", ", slow.Select(s => s.Status))}");
        }

        var before = result.Samples.Where(s => s.Start < termAt).ToList();
        var after = result.Samples.Where(s => s.Start >= termAt).ToList();
        output.WriteLine($"load: {result}");
        output.WriteLine($"  started before SIGTERM: {before.Count}, {before.Count(s => !s.Ok)} failed; after: {after.Count}, {after.Count(s => s.Ok)} answered, " +
            $"{after.Count(s => s.Error is not null)} refused (the listener is closed)");
        Assert.Equal(0, exitCode);
        Assert.All(slow, s => Assert.Equal(200, s.Status));
        Assert.All(slow, s => Assert.Contains("\"slept_ms\":1500", s.Body.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal));
        // Whatever hoist serve answered, it answered in full: no 502/503 while stopping.
        Assert.All(result.Samples.Where(s => s.Error is null), s => Assert.True(s.Ok, s.ToString()));
        // The quick requests sent before SIGTERM were all queued behind the slow ones, so all of them were in flight.
        Assert.True(before.Count > 0 && before.All(s => s.Ok), $"{before.Count(s => !s.Ok)} of {before.Count} failed: {string.Join(" | ", before.Where(s => !s.Ok).Take(3))}");
        Assert.False(File.Exists(socket), "vacuum leaves no socket");
        Assert.False(File.Exists(dir.Combine("serve.pid")), "vacuum leaves no pidfile");
        Assert.False(File.Exists(socket + ".ctl"), "the control socket is removed");
        Assert.All(workerPids, pid => Assert.False(Directory.Exists($"/proc/{pid}"), $"worker {pid} outlived hoist serve"));
        Assert.Contains("stopped", serve.Log(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Harakiri_Answers_504_And_Replaces_The_Worker()
    {
        using var dir = new TempDir("hoist-serve-harakiri");
        var (ini, socket) = WriteIni(dir, "harakiri = 1", "worker-reload-mercy = 5");
        await using var serve = await ServeProcess.StartAsync(ini, socket + ".ctl", ready: 2, dir.Combine("serve.log"));
        var before = (await serve.StatusAsync()).Workers.Select(w => w.Pid).ToHashSet();
        using var http = UnixHttp.Create(socket);

        var clock = Stopwatch.StartNew();
        using var timedOut = await http.GetAsync("slow?ms=4000");
        var took = clock.Elapsed;
        var after = await serve.WaitForStatusAsync(
            s => s.Workers.Count(w => w.State == "ready") == 2 && s.Workers.Count(w => w.State == "ready" && !before.Contains(w.Pid)) == 1,
            "one worker replaced after the harakiri");
        using var next = await http.GetAsync("/");

        output.WriteLine($"GET /slow?ms=4000 with harakiri = 1: {(int)timedOut.StatusCode} after {took.TotalMilliseconds:0} ms; {ServeProcess.Describe(after)}");
        Assert.Equal(HttpStatusCode.GatewayTimeout, timedOut.StatusCode);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Contains("ran past harakiri (1 s)", serve.Log(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Max_Requests_Recycles_Workers_Under_Load_Without_A_Failed_Request()
    {
        using var dir = new TempDir("hoist-serve-maxreq");
        var (ini, socket) = WriteIni(dir, "max-requests = 100");
        await using var serve = await ServeProcess.StartAsync(ini, socket + ".ctl", ready: 2, dir.Combine("serve.log"));
        var first = (await serve.StatusAsync()).Workers.Select(w => w.Pid).ToHashSet();
        using var http = UnixHttp.Create(socket);

        var load = new ClientLoad(http, "api/info", clients: 8, read: PidOf);
        LoadResult result;
        await using (load)
        {
            await serve.WaitForStatusAsync(s => s.Workers.Count(w => w.State == "ready" && !first.Contains(w.Pid)) == 2, "both workers recycled", TimeSpan.FromSeconds(30));
            result = await load.StopAsync();
        }

        var status = await serve.WaitForStatusAsync(s => s.Workers.Count == 2 && s.Workers.All(w => w.State == "ready"), "two ready workers, none retiring");
        var recycles = serve.Log().Split('\n').Count(line => line.Contains("(max-requests)", StringComparison.Ordinal));
        var pids = result.Samples.Select(s => s.Value).Distinct().Count();
        output.WriteLine($"load: {result}; {recycles} recycles, {pids} app processes answered; {ServeProcess.Describe(status)}");
        Assert.True(result.Failures.Count == 0, $"{result}\n{serve.Log()}");
        Assert.True(recycles >= 2, serve.Log());
        Assert.True(pids >= 3, $"only {pids} app processes answered");
        Assert.All(status.Workers, w => Assert.DoesNotContain(w.Pid, first));
    }

    private static string PidOf(string json)
    {
        using var info = JsonDocument.Parse(json);
        return info.RootElement.GetProperty("pid").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private static (string Ini, string Socket) WriteIni(TempDir dir, params string[] extra)
    {
        ServeApps.CopyFlaskApp(dir.Combine("app"));
        var socket = dir.Combine("app.sock");
        var ini = dir.Write("serve.ini", string.Join('\n', [
            "[uwsgi]",
            $"socket = {socket}",
            "processes = 2",
            $"chdir = {dir.Combine("app")}",
            "wsgi-file = wsgi.py",
            "callable = app",
            "healthcheck = /up",
            $"pidfile = {dir.Combine("serve.pid")}",
            $"logto = {dir.Combine("serve.log")}",
            "vacuum = true",
            "die-on-term = true",
            .. extra,
            ""]));
        return (ini, socket);
    }
}
