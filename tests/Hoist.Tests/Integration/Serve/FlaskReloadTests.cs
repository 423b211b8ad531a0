namespace Hoist.Tests.Integration.Serve;

using System.Diagnostics;
using System.Text.Json;
using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// Reloads and crashes with the Flask app under gunicorn, whose workers accept on hoist serve's own socket (no
/// front in between): the same drills as examples/aspnet's, with real nginx, gunicorn and Flask processes.
/// </summary>
public sealed class FlaskReloadTests(ITestOutputHelper output)
{
    private const int Clients = 32;

    [Fact]
    public async Task Reloads_Every_2s_For_20s_Under_32_Clients_Through_Nginx_Fail_Nothing_And_Each_Serves_The_New_Release()
    {
        using var dir = new TempDir("hoist-flask-reload");
        ServeApps.OpenForNginx(dir);
        var socket = Path.Combine(await ServeApps.SocketFolderAsync(dir), "app.sock");
        var layout = await FlaskReleasesAsync(dir, "A", "B");
        await layout.SwitchAsync("A");
        var touch = dir.Write("reload", "");
        var ini = WriteIni(dir, socket, layout.Current, "chmod-socket = 660", $"touch-reload = {touch}");
        await using var serve = await ServeProcess.StartAsync(ini, socket + ".ctl", ready: 2, dir.Combine("serve.log"));
        await using var nginx = await TestNginx.StartAsync(dir.Combine("nginx"), socket);
        Assert.Equal("A", await ReloadDrill.ReleaseAsync(nginx.Http));

        await ReloadDrill.RunAsync(serve, nginx.Http, layout, touch, Clients, output);
    }

    [Fact]
    public async Task Reload_To_A_Release_Failing_Its_Health_Check_Keeps_The_Old_Workers_Serving_And_Says_Why()
    {
        using var dir = new TempDir("hoist-flask-badreload");
        var socket = dir.Combine("app.sock");
        // C is new code whose /up answers 500 (it loads, but is not healthy); D fails as it is imported.
        var layout = await FlaskReleasesAsync(dir, "A", "C", "D");
        await File.AppendAllTextAsync(Path.Combine(layout.Release("C"), "wsgi.py"), Up500);
        await File.WriteAllTextAsync(Path.Combine(layout.Release("D"), "wsgi.py"), "raise RuntimeError('D: missing setting')\n");
        await layout.SwitchAsync("A");
        var ini = WriteIni(dir, socket, layout.Current);
        await using var serve = await ServeProcess.StartAsync(ini, socket + ".ctl", ready: 2, dir.Combine("serve.log"));
        var first = await serve.StatusAsync();
        using var http = UnixHttp.Create(socket);

        var (unhealthy, afterD) = await ReloadDrill.FailedReloadsAsync(serve, http, layout, Clients, dExitStatus: 1, output);

        Assert.True(unhealthy.ExitCode == 1, unhealthy.ToString());
        Assert.Contains("error: reload stopped: the new worker 1 failed its health check: /up answered 500", unhealthy.Stderr, StringComparison.Ordinal);
        Assert.Contains("reload stopped: the new worker 1 exited with status 1 before becoming ready; the old workers keep serving", afterD.LastReload!.Message, StringComparison.Ordinal);
        Assert.Contains("RuntimeError: D: missing setting", serve.Log(), StringComparison.Ordinal);
        var ready = afterD.Workers.Where(w => w.State == "ready").ToList();
        Assert.Equal(first.Workers.Select(w => w.Pid).Order(), ready.Select(w => w.Pid).Order());
        Assert.All(ready, w => Assert.Equal(layout.Release("A"), w.Release));
        Assert.Equal(2, afterD.Workers.Count);
        Assert.Equal("A", await ReloadDrill.ReleaseAsync(http));
    }

    [Fact]
    public async Task Kill9_Of_A_Worker_Under_Load_Fails_At_Most_Its_Request_And_It_Comes_Back_After_Backoff()
    {
        using var dir = new TempDir("hoist-flask-kill");
        var socket = dir.Combine("app.sock");
        var layout = await FlaskReleasesAsync(dir, "A");
        await layout.SwitchAsync("A");
        var ini = WriteIni(dir, socket, layout.Current);
        await using var serve = await ServeProcess.StartAsync(ini, socket + ".ctl", ready: 2, dir.Combine("serve.log"));
        using var http = UnixHttp.Create(socket);

        var load = new ClientLoad(http, "api/info", Clients, PidOf);
        await using (load)
        {
            await load.RunsOnAsync(Clients * 3);
            var victim = (await serve.StatusAsync()).Workers.Single(w => w.Slot == 1);
            await ServeProcess.KillAsync("KILL", victim.Pid);
            var killed = ClientLoad.Now; // after kill(1) returned: no request started from here on may reach it
            await serve.WaitForStatusAsync(s => !s.Workers.Any(w => w.Pid == victim.Pid), "the killed worker out of the status");
            var outAt = ClientLoad.Now;
            var back = await serve.WaitForStatusAsync(s => s.Workers.Any(w => w.Slot == 1 && w.State == "ready" && w.Pid != victim.Pid), "slot 1 ready again");
            await load.RunsOnAsync(Clients * 2);
            var result = await load.StopAsync();

            var pid = victim.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var late = result.Samples.Count(s => s.Start > killed && s.Value == pid);
            var slot1 = back.Workers.First(w => w.Slot == 1 && w.State == "ready");
            output.WriteLine($"load, direct on the socket: {result}");
            output.WriteLine($"kill -9 {victim.Pid} (slot 1): out of the status in {Stopwatch.GetElapsedTime(killed, outAt).TotalMilliseconds:0} ms, " +
                $"{result.Failures.Count} failed request(s), {late} answer(s) from it afterwards; back as pid {slot1.Pid}, restarts {slot1.Restarts}");

            // A sync worker has one request in flight; queued connections wait on the socket, not in the worker.
            Assert.True(result.Failures.Count <= 1, $"{result}\n{serve.Log()}");
            Assert.All(result.Failures, f => Assert.Equal(0, f.Status));
            Assert.Equal(0, late);
            Assert.True(slot1.Restarts >= 1);
            Assert.Contains("restarting worker 1 in", serve.Log(), StringComparison.Ordinal);
        }
    }

    private const string Up500 = """

        # New code that loads but is not healthy: /up answers 500 (say, a migration is missing), the rest as before.
        @app.before_request
        def migration_missing():
            from flask import request
            if request.path == "/up":
                return "migration 42 missing\n", 500

        """;

    /// <summary>A deploy folder with one release of the Flask app per id; the app reports its folder's name as its release.</summary>
    private static async Task<ReleaseLayout> FlaskReleasesAsync(TempDir dir, params string[] ids)
    {
        var layout = new ReleaseLayout(dir.Combine("deploy"));
        var app = ServeApps.CopyFlaskApp(dir.Combine("flaskapp"));
        foreach (var id in ids)
        {
            await layout.AddReleaseAsync(id, app);
        }

        return layout;
    }

    private static string WriteIni(TempDir dir, string socket, string chdir, params string[] extra) =>
        dir.Write("serve.ini", string.Join('\n', [
            "[uwsgi]",
            $"socket = {socket}",
            "processes = 2",
            $"chdir = {chdir}",
            "wsgi-file = wsgi.py",
            "callable = app",
            "healthcheck = /up",
            $"pidfile = {dir.Combine("serve.pid")}",
            $"logto = {dir.Combine("serve.log")}",
            "worker-reload-mercy = 10",
            "vacuum = true",
            .. extra,
            ""]));

    private static string? PidOf(string json)
    {
        using var info = JsonDocument.Parse(json);
        return info.RootElement.GetProperty("pid").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
