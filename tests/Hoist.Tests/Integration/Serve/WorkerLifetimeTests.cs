namespace Hoist.Tests.Integration.Serve;

using System.Diagnostics;
using Hoist.Serve.Control;
using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// A worker lives exactly as long as hoist serve: not shorter (a worker forked from a thread-pool thread got
/// PR_SET_PDEATHSIG's SIGTERM when the pool retired that thread), not longer (kill -9 of hoist serve takes it along).
/// </summary>
public sealed class WorkerLifetimeTests(ITestOutputHelper output)
{
    private const string PoolThread = ".NET TP Worker";

    /// <summary>
    /// The quick form of the 3-minute test below: with the pool's idle timeout at 100 ms
    /// (DOTNET_ThreadPool_ThreadTimeoutMs, 20 s by default) every pool thread of the reload retires within a second or two.
    /// </summary>
    [Fact]
    public async Task Workers_Of_A_Reload_Outlive_Every_Pool_Thread_That_Ran_During_It()
    {
        using var dir = new TempDir("hoist-serve-pdeath");
        await using var serve = await StartAsync(dir, new Dictionary<string, string> { ["DOTNET_ThreadPool_ThreadTimeoutMs"] = "100" });
        using var http = UnixHttp.Create(serve.Socket);
        await ReloadAsync(serve.Process);
        var pids = await PidsAsync(serve.Process, generation: 2);
        var threads = ProcView.Threads(serve.Process.Pid, PoolThread);

        // Until every pool thread that existed when the reload finished has exited (the one that forked the workers
        // among them, unless a dedicated thread did), failing as soon as a worker is gone.
        var clock = Stopwatch.StartNew();
        await WatchAsync(serve.Process, pids, TimeSpan.FromSeconds(60), clock, () => !threads.Overlaps(ProcView.Threads(serve.Process.Pid, PoolThread)));
        var retiredAfter = clock.Elapsed;
        // The parent-death signal is sent while the thread exits, before its /proc entry goes; a short look more
        // lets the signalled worker finish dying.
        await WatchAsync(serve.Process, pids, TimeSpan.FromSeconds(2), clock, () => false);
        var answers = await AnswersAsync(http, 6);

        output.WriteLine($"generation 2 pids {string.Join(", ", pids)}; {threads.Count} pool thread(s) at the reload's end, all exited after " +
            $"{retiredAfter.TotalSeconds:0.0} s; pool threads now {ProcView.Threads(serve.Process.Pid, PoolThread).Count}; answers from {string.Join(", ", answers.Distinct())}");
        Assert.NotEmpty(threads);
        Assert.All(answers, pid => Assert.Contains(pid, pids));
        Assert.Equal(pids, await PidsAsync(serve.Process, generation: 2));
    }

    [Fact]
    public async Task Workers_Of_A_Reload_Still_Alive_And_Serving_3_Minutes_After_Traffic_Stops()
    {
        using var dir = new TempDir("hoist-serve-outlive");
        await using var serve = await StartAsync(dir, new Dictionary<string, string>());
        using var http = UnixHttp.Create(serve.Socket);
        LoadResult load;
        var before = ProcView.Threads(serve.Process.Pid, PoolThread);
        await using (var clients = new ClientLoad(http, "/", clients: 8))
        {
            await ReloadAsync(serve.Process);
            load = await clients.StopAsync();
        }

        var pids = await PidsAsync(serve.Process, generation: 2);
        var during = ProcView.Threads(serve.Process.Pid, PoolThread);
        var clock = Stopwatch.StartNew();
        await WatchAsync(serve.Process, pids, TimeSpan.FromMinutes(3), clock, () => false);
        var after = ProcView.Threads(serve.Process.Pid, PoolThread);
        var answers = await AnswersAsync(http, 6);

        output.WriteLine($"load during the reload: {load}; generation 2 pids {string.Join(", ", pids)} alive for {clock.Elapsed.TotalSeconds:0} s after it stopped; " +
            $"pool threads: {before.Count} before, {during.Count} at the reload's end, {after.Count} after ({during.Except(after).Count()} of those retired); " +
            $"answers from {string.Join(", ", answers.Distinct())}");
        Assert.True(load.Failures.Count == 0, load.ToString());
        Assert.All(answers, pid => Assert.Contains(pid, pids));
        Assert.Equal(pids, await PidsAsync(serve.Process, generation: 2));
    }

    [Fact]
    public async Task Kill_9_Of_Hoist_Serve_Takes_Its_Workers_Along_Before_And_After_A_Reload()
    {
        using var dir = new TempDir("hoist-serve-pdeath-kill");
        await using var serve = await StartAsync(dir, new Dictionary<string, string>());
        var first = await PidsAsync(serve.Process, generation: 1);
        await ReloadAsync(serve.Process);
        var second = await PidsAsync(serve.Process, generation: 2);
        // One more on a retired thread's watch: a worker restarted after a crash is started the same way.
        await ServeProcess.KillAsync("KILL", second[0]);
        var restarted = (await serve.Process.WaitForStatusAsync(
            s => s.Workers.Count(w => w.State == "ready" && !second.Contains(w.Pid)) == 1 && s.Workers.Count(w => w.State == "ready") == 2,
            "the killed worker restarted")).Workers.Select(w => w.Pid).ToList();

        await ServeProcess.KillAsync("KILL", serve.Process.Pid);
        var clock = Stopwatch.StartNew();
        while (restarted.Any(ProcView.Alive) && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(50);
        }

        output.WriteLine($"generation 1 {string.Join(", ", first)} (stopped by the reload), generation 2 then {string.Join(", ", restarted)}; " +
            $"after kill -9 of hoist serve, alive after {clock.Elapsed.TotalMilliseconds:0} ms: {string.Join(", ", restarted.Where(ProcView.Alive))}");
        Assert.DoesNotContain(restarted, ProcView.Alive);
    }

    private static async Task<Served> StartAsync(TempDir dir, IDictionary<string, string> environment)
    {
        var log = dir.Combine("serve.log");
        var (ini, socket) = CommandIni.Write(dir, 2, PidApp.Write(dir), $"logto = {log}", "worker-reload-mercy = 5");
        var serve = ServeProcess.Begin(ini, socket + ".ctl", environment, log);
        try
        {
            await serve.WaitForStatusAsync(s => s.Workers.Count(w => w.State == "ready") == 2, "2 ready workers", TimeSpan.FromSeconds(60));
        }
        catch
        {
            await serve.DisposeAsync();
            throw;
        }

        return new Served(serve, socket);
    }

    /// <summary>A reload over the control socket (what `--reload` sends), answered once it is done.</summary>
    private static async Task ReloadAsync(ServeProcess serve)
    {
        var answer = await ControlClient.AskAsync(serve.ControlSocket, "reload", TimeSpan.FromSeconds(60));
        Assert.True(answer.Contains("\"ok\": true", StringComparison.Ordinal), $"{answer}\n{serve.Log()}");
    }

    private static async Task<List<int>> PidsAsync(ServeProcess serve, int generation)
    {
        var status = await serve.StatusAsync();
        Assert.True(status.Workers.Count == 2 && status.Workers.All(w => w.Generation == generation && w.State == "ready"), ServeProcess.Describe(status));
        return status.Workers.Select(w => w.Pid).Order().ToList();
    }

    /// <summary>Checks every 250 ms that each worker still runs, failing at once when one is gone; ends when <paramref name="done"/> or after <paramref name="longest"/>.</summary>
    private async Task WatchAsync(ServeProcess serve, List<int> pids, TimeSpan longest, Stopwatch clock, Func<bool> done)
    {
        var until = clock.Elapsed + longest;
        while (clock.Elapsed < until && !done())
        {
            var gone = pids.Where(p => !ProcView.Alive(p)).ToList();
            if (gone.Count > 0)
            {
                var status = await serve.StatusAsync();
                output.WriteLine($"worker(s) {string.Join(", ", gone)} gone {clock.Elapsed.TotalSeconds:0.0} s after the reload; {ServeProcess.Describe(status)}");
                Assert.Fail($"worker(s) {string.Join(", ", gone)} of generation 2 died {clock.Elapsed.TotalSeconds:0.0} s after the reload\n{serve.Log()}");
            }

            await Task.Delay(250);
        }

        Assert.False(serve.HasExited, "hoist serve exited");
    }

    private static async Task<List<int>> AnswersAsync(HttpClient http, int count)
    {
        var pids = new List<int>();
        for (var i = 0; i < count; i++)
        {
            pids.Add(int.Parse(await http.GetStringAsync("/"), System.Globalization.CultureInfo.InvariantCulture));
        }

        return pids;
    }

    private sealed record Served(ServeProcess Process, string Socket) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Process.DisposeAsync();
    }
}
