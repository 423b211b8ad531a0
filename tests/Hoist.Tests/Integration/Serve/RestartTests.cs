namespace Hoist.Tests.Integration.Serve;

using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Hoist.Serve.Control;
using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// Direct mode's restart for new settings, as hoist setup runs it on a host without systemd:
/// `hoist serve --stop; hoist serve --daemon`, with the real binary and real workers.
/// </summary>
public sealed class RestartTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Stop_Then_Daemon_Five_Times_In_A_Row_Ends_Each_Time_With_A_New_Serving_Server()
    {
        using var dir = new TempDir("hoist-serve-restart");
        var (ini, socket) = CommandIni.Write(dir, 2, CommandIni.HttpServer,
            "healthcheck = /",
            "worker-reload-mercy = 5",
            $"logto = {dir.Combine("serve.log")}",
            $"pidfile = {dir.Combine("serve.pid")}",
            "vacuum = true");
        var control = socket + ".ctl";
        Task<RunResult> Serve(params string[] args) => HoistCli.RunAsync(dir.Path, ["serve", "--ini", ini, .. args]);
        var started = await Serve("--daemon");
        Assert.True(started.ExitCode == 0, started.ToString());
        try
        {
            using var http = UnixHttp.Create(socket);
            var pids = new List<int> { await PidAsync(control) };
            for (var round = 1; round <= 5; round++)
            {
                var clock = Stopwatch.StartNew();
                var stop = await Serve("--stop");
                var stopTook = clock.Elapsed;
                var gone = Gone(pids[^1]);
                var start = await Serve("--daemon");
                using var answer = await http.GetAsync("/");
                pids.Add(await PidAsync(control));

                output.WriteLine($"round {round}: --stop {stopTook.TotalMilliseconds:0} ms, old pid {pids[^2]} gone: {gone}; new pid {pids[^1]}: {(int)answer.StatusCode}");
                Assert.True(stop.ExitCode == 0, stop.ToString());
                Assert.StartsWith($"stopped (pid {pids[^2]})", stop.Stdout, StringComparison.Ordinal);
                Assert.True(gone, $"round {round}: the old hoist serve {pids[^2]} still ran after --stop returned");
                Assert.True(start.ExitCode == 0, $"round {round}: {start}\n{File.ReadAllText(dir.Combine("serve.log"))}");
                Assert.Contains("hoist serve started in the background", start.Stdout, StringComparison.Ordinal);
                Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
                Assert.NotEqual(pids[^2], pids[^1]);
            }
        }
        finally
        {
            await Serve("--stop");
        }
    }

    [Fact]
    public async Task Stop_When_None_Runs_Says_So_Plainly_And_Exits_0_While_Status_And_Reload_Exit_1()
    {
        using var dir = new TempDir("hoist-serve-stop-none");
        var (ini, socket) = CommandIni.Write(dir, 1, CommandIni.HttpServer);
        Task<RunResult> Serve(params string[] args) => HoistCli.RunAsync(dir.Path, ["serve", "--ini", ini, .. args]);

        var stop = await Serve("--stop");
        var status = await Serve("--status");
        var reload = await Serve("--reload");

        output.WriteLine($"--stop: {stop}\n--status: {status}\n--reload: {reload}");
        Assert.True(stop.ExitCode == 0, stop.ToString());
        Assert.Equal($"no hoist serve is running for {ini} (its control socket {socket}.ctl does not exist); nothing to stop\n", stop.Stdout);
        Assert.Equal(1, status.ExitCode);
        Assert.Equal(1, reload.ExitCode);
        foreach (var failed in (RunResult[])[status, reload])
        {
            Assert.StartsWith($"error: no hoist serve is running for {ini} (its control socket {socket}.ctl does not exist)", failed.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("Cannot assign requested address", failed.Stderr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Stop_After_A_Killed_Server_Left_Its_Control_Socket_Says_None_Runs_And_Exits_0()
    {
        using var dir = new TempDir("hoist-serve-stop-stale");
        var (ini, socket) = CommandIni.Write(dir, 1, CommandIni.HttpServer);
        // What kill -9 leaves: the socket file, with nothing accepting on it.
        await Run.ShellAsync($"python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' '{socket}.ctl'");
        Assert.True(File.Exists(socket + ".ctl"));

        var stop = await HoistCli.RunAsync(dir.Path, "serve", "--ini", ini, "--stop");

        output.WriteLine($"--stop: {stop}");
        Assert.True(stop.ExitCode == 0, stop.ToString());
        Assert.Contains($"nothing accepts on its control socket {socket}.ctl, which a killed server left behind; nothing to stop", stop.Stdout, StringComparison.Ordinal);
    }

    /// <summary>Exited: no such process, or a zombie its parent (here PID 1, which reaps when it gets to it) has not reaped yet.</summary>
    private static bool Gone(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (IOException)
        {
            return true;
        }
    }

    private static async Task<int> PidAsync(string control) =>
        JsonSerializer.Deserialize<ServeStatus>(await ControlClient.AskAsync(control, "status", TimeSpan.FromSeconds(10)), ControlServer.Json)!.Pid;
}
