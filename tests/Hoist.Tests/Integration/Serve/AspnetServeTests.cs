namespace Hoist.Tests.Integration.Serve;

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Hoist.Serve.Control;
using Hoist.Tests.Examples;
using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// `hoist serve` with examples/aspnet (HoistDemo) as its workers, all real processes: the built hoist executable,
/// `dotnet HoistDemo.dll` workers, Debian's nginx in front of the unix socket, and load from 32 HTTP clients.
/// </summary>
public sealed class AspnetServeTests(AspnetExample example, ITestOutputHelper output) : IClassFixture<AspnetExample>
{
    private const int Clients = 32;

    [Fact]
    public async Task Answers_Through_Nginx_On_A_Unix_Socket_Whose_Mode_Is_Chmod_Socket()
    {
        using var dir = new TempDir("hoist-serve-nginx");
        ServeApps.OpenForNginx(dir);
        var socket = Path.Combine(await ServeApps.SocketFolderAsync(dir), "myproject.sock");
        var ini = WriteIni(dir, socket, example.Current, "chmod-socket = 660");
        await using var serve = await ServeProcess.StartAsync(ini, socket + ".ctl", ready: 2, dir.Combine("serve.log"));
        await using var nginx = await TestNginx.StartAsync(dir.Combine("nginx"), socket);

        using var page = await nginx.Http.GetAsync("/");
        var html = await page.Content.ReadAsStringAsync();
        using var css = await nginx.Http.GetAsync("/static/site.css");
        var status = await serve.CliAsync("--status");

        var mode = File.GetUnixFileMode(socket);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite, mode);
        // nginx's workers run as www-data: they reach the socket through its group, nothing else.
        Assert.Equal(TestNginx.WorkerGroup, (await Run.ShellAsync($"stat -c %G '{socket}'")).Trim());
        Assert.True(page.StatusCode == HttpStatusCode.OK, $"{(int)page.StatusCode} {html}\n{nginx.Errors()}\n{serve.Log()}");
        Assert.Contains($"<dd id=\"release\">{AspnetExample.ReleaseId}</dd>", html, StringComparison.Ordinal);
        Assert.Matches("<dd id=\"worker\">[12]</dd>", html);
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Equal(2, status.Stdout.Split('\n').Count(line => line.Contains(" ready ", StringComparison.Ordinal)));
        output.WriteLine($"socket mode {Convert.ToString((int)mode, 8)} group {TestNginx.WorkerGroup}; GET / via nginx {(int)page.StatusCode}\n{status.Stdout}");
    }

    [Fact]
    public async Task Reloads_Every_2s_For_20s_Under_32_Clients_Fail_Nothing_And_Each_Serves_The_New_Release()
    {
        using var dir = new TempDir("hoist-serve-reload");
        ServeApps.OpenForNginx(dir);
        var socket = Path.Combine(await ServeApps.SocketFolderAsync(dir), "app.sock");
        var layout = new ReleaseLayout(dir.Combine("deploy"));
        await layout.AddReleaseAsync("A", example.Release);
        await layout.AddReleaseAsync("B", example.Release);
        await layout.SwitchAsync("A");
        var touch = dir.Write("reload", "");
        var ini = WriteIni(dir, socket, layout.Current, "chmod-socket = 660", $"touch-reload = {touch}");
        await using var serve = await ServeProcess.StartAsync(ini, socket + ".ctl", ready: 2, dir.Combine("serve.log"));
        await using var nginx = await TestNginx.StartAsync(dir.Combine("nginx"), socket);
        Assert.Equal("A", await ReleaseAsync(nginx.Http));

        await ReloadDrill.RunAsync(serve, nginx.Http, layout, touch, Clients, output);
    }

    [Fact]
    public async Task Reload_To_A_Release_Failing_Its_Health_Check_Keeps_The_Old_Workers_Serving_And_Says_Why()
    {
        using var dir = new TempDir("hoist-serve-badreload");
        var socket = dir.Combine("app.sock");
        var layout = new ReleaseLayout(dir.Combine("deploy"));
        // Each release says how it starts (start.sh, as a Procfile would): A runs HoistDemo; C is new code whose /up
        // answers 500 (it runs, but is not healthy); D is a release whose command exits at once.
        await layout.AddReleaseAsync("A", example.Release);
        await File.WriteAllTextAsync(Path.Combine(layout.Release("A"), "start.sh"), "exec dotnet HoistDemo.dll\n");
        Directory.CreateDirectory(layout.Release("C"));
        await File.WriteAllTextAsync(Path.Combine(layout.Release("C"), "start.sh"), "exec python3 up500.py\n");
        await File.WriteAllTextAsync(Path.Combine(layout.Release("C"), "up500.py"), Up500);
        Directory.CreateDirectory(layout.Release("D"));
        await File.WriteAllTextAsync(Path.Combine(layout.Release("D"), "start.sh"), "echo 'D: missing setting' >&2; exit 3\n");
        await layout.SwitchAsync("A");
        var ini = WriteIni(dir, socket, layout.Current, "ready-timeout = 4", "command = sh start.sh");
        await using var serve = await ServeProcess.StartAsync(ini, socket + ".ctl", ready: 2, dir.Combine("serve.log"));
        var first = await serve.StatusAsync();
        using var http = UnixHttp.Create(socket);

        var (unhealthy, afterD) = await ReloadDrill.FailedReloadsAsync(serve, http, layout, Clients, dExitStatus: 3, output);

        Assert.True(unhealthy.ExitCode == 1, unhealthy.ToString());
        Assert.Contains("error: reload stopped: the new worker 1 not ready after 4 s (/up answered 500); the old workers keep serving", unhealthy.Stderr, StringComparison.Ordinal);
        Assert.Contains("reload stopped: the new worker 1 exited with status 3 before becoming ready; the old workers keep serving", afterD.LastReload!.Message, StringComparison.Ordinal);
        var status = await serve.CliAsync("--status");
        Assert.Contains("FAILED", status.Stdout, StringComparison.Ordinal);
        // The same two workers as before either reload, on release A; neither C's nor D's workers are left running.
        var ready = afterD.Workers.Where(w => w.State == "ready").ToList();
        Assert.Equal(first.Workers.Select(w => w.Pid).Order(), ready.Select(w => w.Pid).Order());
        Assert.All(ready, w => Assert.Equal(layout.Release("A"), w.Release));
        Assert.Equal(2, afterD.Workers.Count);
        Assert.Equal("A", await ReleaseAsync(http));
    }

    [Fact]
    public async Task Kill9_Of_A_Worker_Under_Load_Takes_It_Out_Of_Rotation_And_It_Comes_Back_After_Backoff()
    {
        using var dir = new TempDir("hoist-serve-kill");
        var socket = dir.Combine("app.sock");
        // `command` runs through sh -c: the worker's pid in the status is the shell's, with dotnet its child.
        var ini = WriteIni(dir, socket, example.Current);
        await using var serve = await ServeProcess.StartAsync(ini, socket + ".ctl", ready: 2, dir.Combine("serve.log"));
        using var http = UnixHttp.Create(socket);

        var load = new ClientLoad(http, "api/info", Clients, WorkerAndPid);
        await using (load)
        {
            await load.RunsOnAsync(Clients * 3);

            // 1. The pid `hoist serve --status` shows for slot 1 (the shell; its dotnet child goes with it).
            var shown = (await serve.StatusAsync()).Workers.Single(w => w.Slot == 1);
            var app1 = AppPid(await AnswerFromSlotAsync(http, "1"));
            var killed1 = ClientLoad.Now;
            await ServeProcess.KillAsync("KILL", shown.Pid);
            await serve.WaitForStatusAsync(s => !s.Workers.Any(w => w.Pid == shown.Pid), "slot 1's killed worker out of the status");
            var out1 = ClientLoad.Now;
            var back1 = await serve.WaitForStatusAsync(s => s.Workers.Any(w => w.Slot == 1 && w.State == "ready" && w.Pid != shown.Pid), "slot 1 ready again");

            // 2. The app process itself in slot 2 (what the OOM killer would pick).
            var app2 = AppPid(await AnswerFromSlotAsync(http, "2"));
            var shown2 = (await serve.StatusAsync()).Workers.Single(w => w.Slot == 2);
            var killed2 = ClientLoad.Now;
            await ServeProcess.KillAsync("KILL", app2);
            await serve.WaitForStatusAsync(s => !s.Workers.Any(w => w.Pid == shown2.Pid), "slot 2's killed worker out of the status");
            var out2 = ClientLoad.Now;
            var back2 = await serve.WaitForStatusAsync(s => s.Workers.Any(w => w.Slot == 2 && w.State == "ready" && w.Pid != shown2.Pid), "slot 2 ready again");
            await load.RunsOnAsync(Clients * 2);
            var result = await load.StopAsync();

            var failed1 = result.Failures.Count(f => f.Start < out1);
            var failed2 = result.Failures.Count(f => f.Start >= out1);
            var late1 = result.Samples.Count(s => s.Start > out1 && AppPid(s.Value) == app1);
            var late2 = result.Samples.Count(s => s.Start > out2 && AppPid(s.Value) == app2);
            output.WriteLine($"load, direct on the socket: {result}");
            output.WriteLine($"kill -9 {shown.Pid} (slot 1's shell, app pid {app1}): out of rotation in {Ms(killed1, out1)} ms, " +
                $"{failed1} failed request(s), {late1} answer(s) from it afterwards; back as pid {back1.Workers.First(w => w.Slot == 1 && w.State == "ready").Pid}, " +
                $"restarts {back1.Workers.First(w => w.Slot == 1).Restarts}");
            output.WriteLine($"kill -9 {app2} (slot 2's dotnet): out of rotation in {Ms(killed2, out2)} ms, {failed2} failed request(s), {late2} answer(s) from it afterwards; " +
                $"back as pid {back2.Workers.First(w => w.Slot == 2 && w.State == "ready").Pid}, restarts {back2.Workers.First(w => w.Slot == 2).Restarts}");

            Assert.Equal(0, late1);
            Assert.Equal(0, late2);
            Assert.True(failed1 <= Clients && failed2 <= Clients, result.ToString());
            Assert.All(result.Failures, f => Assert.Equal(0, f.Status)); // cut connections only: never a 5xx from the front
            Assert.True(back1.Workers.First(w => w.Slot == 1).Restarts >= 1);
            Assert.True(back2.Workers.First(w => w.Slot == 2).Restarts >= 1);
            Assert.False(ProcessAlive(app1), $"slot 1's dotnet (pid {app1}) outlived its killed shell: an orphan nobody stops");
            var reused = (await serve.StatusAsync()).Workers.Any(w => w.Endpoint == shown.Endpoint); // the kernel may hand the port out again
            Assert.False(!reused && await AcceptsAsync(shown.Endpoint), $"something still listens on killed worker 1's {shown.Endpoint}");
            Assert.Contains("restarting worker 1 in", serve.Log(), StringComparison.Ordinal);
            Assert.Contains("restarting worker 2 in", serve.Log(), StringComparison.Ordinal);
        }
    }

    private const string Up500 = """
        # New code that runs but is not healthy: /up answers 500 (say, a migration is missing), the rest 200.
        import os
        from http.server import BaseHTTPRequestHandler, HTTPServer

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                status = 500 if self.path == "/up" else 200
                body = b"migration 42 missing\n" if status == 500 else b'{"release": "C"}'
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        HTTPServer(("127.0.0.1", int(os.environ["PORT"])), Handler).serve_forever()

        """;

    /// <summary>The ini of these tests; <paramref name="extra"/> lines come last (a `command` line replaces HoistDemo's).</summary>
    private static string WriteIni(TempDir dir, string socket, string chdir, params string[] extra)
    {
        var lines = new List<string>
        {
            "[uwsgi]",
            $"socket = {socket}",
            "processes = 2",
            $"chdir = {chdir}",
            "healthcheck = /up",
            $"pidfile = {dir.Combine("serve.pid")}",
            $"logto = {dir.Combine("serve.log")}",
            $"env = HOIST_DATA_DIR={dir.Combine("data")}",
            "env = DATABASE_URL=",
            "worker-reload-mercy = 10",
            "vacuum = true",
        };
        if (!extra.Any(line => line.StartsWith("command", StringComparison.Ordinal)))
        {
            lines.Add("command = dotnet HoistDemo.dll");
        }

        return dir.Write("serve.ini", string.Join('\n', [.. lines, .. extra, ""]));
    }

    private static Task<string> ReleaseAsync(HttpClient http) => ReloadDrill.ReleaseAsync(http);

    private static string? WorkerAndPid(string json)
    {
        using var info = JsonDocument.Parse(json);
        return $"{info.RootElement.GetProperty("worker").GetString()}:{info.RootElement.GetProperty("pid").GetInt32()}";
    }

    private static int AppPid(string? workerAndPid) =>
        workerAndPid is null ? 0 : int.Parse(workerAndPid.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// The first answer from a slot (to learn its app's pid), asked for up to 10 s: right after the other slot came back,
    /// the front sends new requests to whichever worker has fewer in flight, which may be the other one for a while.
    /// </summary>
    private static async Task<string> AnswerFromSlotAsync(HttpClient http, string slot)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var asked = 0;
        while (watch.Elapsed < TimeSpan.FromSeconds(10))
        {
            asked++;
            var answer = WorkerAndPid(await http.GetStringAsync("api/info"))!;
            if (answer.StartsWith(slot + ":", StringComparison.Ordinal))
            {
                return answer;
            }
        }

        throw new InvalidOperationException($"worker {slot} answered none of {asked} requests in 10 s");
    }

    private static bool ProcessAlive(int pid) => Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);

    private static async Task<bool> AcceptsAsync(string endpoint)
    {
        var port = int.Parse(endpoint.Split(':')[^1], System.Globalization.CultureInfo.InvariantCulture);
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static long Ms(long from, long to) => (long)Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;
}
