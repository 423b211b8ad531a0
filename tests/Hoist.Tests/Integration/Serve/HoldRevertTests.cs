namespace Hoist.Tests.Integration.Serve;

using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Hoist.Serve.Control;
using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// A reload with a hold, then a revert, with real gunicorn workers accepting on hoist serve's socket: the held
/// workers stop accepting but stay alive, and the revert puts those same processes back in rotation at once.
/// </summary>
public sealed class HoldRevertTests(ITestOutputHelper output)
{
    private const int Clients = 32;

    [Fact]
    public async Task A_Revert_Puts_The_Held_Workers_Pids_Back_In_Rotation_At_Once_Under_A_Cpu_Hog_And_Load_With_No_Failed_Request()
    {
        using var dir = new TempDir("hoist-hold-revert");
        var socket = dir.Combine("app.sock");
        var layout = new ReleaseLayout(dir.Combine("deploy"));
        var app = ServeApps.CopyFlaskApp(dir.Combine("flaskapp"));
        await layout.AddReleaseAsync("A", app);
        await layout.AddReleaseAsync("B", app);
        await layout.SwitchAsync("A");
        var ini = dir.Write("serve.ini", string.Join('\n', [
            "[uwsgi]", $"socket = {socket}", "processes = 2", $"chdir = {layout.Current}", "wsgi-file = wsgi.py", "callable = app",
            "healthcheck = /up", $"logto = {dir.Combine("serve.log")}", "worker-reload-mercy = 10", ""]));
        await using var serve = await ServeProcess.StartAsync(ini, socket + ".ctl", ready: 2, dir.Combine("serve.log"));
        using var http = UnixHttp.Create(socket);
        var old = (await serve.StatusAsync()).Workers.Select(w => w.Pid).Order().ToList();
        using var hog = CpuHog.Start();
        var load = new ClientLoad(http, "api/info", Clients, PidOf);
        await using (load)
        {
            await load.RunsOnAsync(Clients * 3);
            await layout.SwitchAsync("B");
            var reload = await serve.CliAsync("--reload", "--hold", "120");
            var heldAt = ClientLoad.Now;
            Assert.True(reload.ExitCode == 0, reload + serve.Log());
            var held = await serve.StatusAsync();
            var fresh = held.Workers.Where(w => w.State == "ready").Select(w => w.Pid).ToList();
            await load.RunsOnAsync(Clients * 3);

            // Over the control socket, as `hoist serve --revert` asks it: the server's part, without the CLI's start-up.
            var timer = Stopwatch.StartNew();
            var revert = await ControlClient.AskAsync(serve.ControlSocket, "revert", TimeSpan.FromSeconds(60));
            var took = timer.Elapsed;
            var revertedAt = ClientLoad.Now;
            Assert.True(revert.Contains("\"ok\": true", StringComparison.Ordinal), revert + serve.Log());
            await load.RunsOnAsync(Clients * 3);
            var result = await load.StopAsync();
            var after = await serve.WaitForStatusAsync(s => s.Workers.Count == 2, "the new workers stopped");
            var again = await serve.CliAsync("--revert");

            var whileHeld = result.Samples.Where(s => s.Start > heldAt && s.End < ClientLoadStart(revertedAt, took)).ToList();
            var fromHeld = whileHeld.Count(s => old.Select(Text).Contains(s.Value));
            var afterRevert = result.Samples.Where(s => s.Start > revertedAt).ToList();
            output.WriteLine($"load, direct on the socket: {result}; {hog}");
            output.WriteLine($"held: pids {string.Join(' ', held.Workers.Where(w => w.State == "held").Select(w => w.Pid))} until {held.HeldUntil:O}; " +
                $"{whileHeld.Count} answer(s) while held, {fromHeld} of them from a held worker");
            output.WriteLine($"revert over the control socket took {took.TotalMilliseconds:0} ms: {revert.ReplaceLineEndings(" ")}");
            output.WriteLine($"after: ready pids {string.Join(' ', after.Workers.Where(w => w.State == "ready").Select(w => w.Pid))} (old {string.Join(' ', old)}, new {string.Join(' ', fresh)}); " +
                $"{afterRevert.Count} answer(s) after the revert, {afterRevert.Count(s => fresh.Select(Text).Contains(s.Value))} from a new worker; a second --revert: exit {again.ExitCode}, {again.Stderr.Trim()}");

            Assert.Equal(old, held.Workers.Where(w => w.State == "held").Select(w => w.Pid).Order());
            Assert.NotNull(held.HeldUntil);
            Assert.All(held.Workers.Where(w => w.State == "ready"), w => Assert.Equal(layout.Release("B"), w.Release));
            Assert.Equal(0, fromHeld);
            Assert.Equal(old, after.Workers.Select(w => w.Pid).Order());
            Assert.All(after.Workers, w => Assert.Equal(("ready", layout.Release("A")), (w.State, w.Release)));
            Assert.Null(after.HeldUntil);
            Assert.All(afterRevert, s => Assert.Contains(s.Value, old.Select(Text)));
            Assert.Empty(result.Failures);
            Assert.Equal(1, again.ExitCode);
            Assert.Contains("nothing is held to revert to", again.Stderr, StringComparison.Ordinal);
        }
    }

    /// <summary>When the revert was asked: samples that ended before it were answered while the hold was on.</summary>
    private static long ClientLoadStart(long revertedAt, TimeSpan took) => revertedAt - (long)(took.TotalSeconds * Stopwatch.Frequency);

    private static string Text(int pid) => pid.ToString(CultureInfo.InvariantCulture);

    private static string? PidOf(string json)
    {
        using var info = JsonDocument.Parse(json);
        return info.RootElement.GetProperty("pid").GetInt32().ToString(CultureInfo.InvariantCulture);
    }
}
