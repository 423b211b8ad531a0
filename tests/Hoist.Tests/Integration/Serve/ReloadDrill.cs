namespace Hoist.Tests.Integration.Serve;

using System.Diagnostics;
using System.Text.Json;
using Hoist.Serve.Control;
using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// The reload drill the apps go through: under a steady load of <c>clients</c>, switch `current` to the other
/// release and reload (SIGHUP, touch-reload and `hoist serve --reload` in turn) every 2 s for 20 s, or <c>reloads</c>
/// times; not one request may fail, and after each reload every answer comes from the new release. The app answers
/// api/info with its release.
/// </summary>
internal static class ReloadDrill
{
    public static async Task<LoadResult> RunAsync(ServeProcess serve, HttpClient http, ReleaseLayout layout, string touch, int clients, ITestOutputHelper output, int? reloadCount = null)
    {
        var reloads = new List<Reload>();
        var clock = Stopwatch.StartNew();
        var load = new ClientLoad(http, "api/info", clients, ReleaseOf);
        await using (load)
        {
            // Every 2 s for 20 s, or back to back when a reload takes longer (a busy machine), and each trigger at least once.
            while (reloadCount is { } count ? reloads.Count < count : clock.Elapsed < TimeSpan.FromSeconds(20) || reloads.Count < 3)
            {
                var started = clock.Elapsed;
                var release = reloads.Count % 2 == 0 ? "B" : "A";
                var trigger = (reloads.Count % 3) switch { 0 => "SIGHUP", 1 => "touch-reload", _ => "hoist serve --reload" };
                var before = (await serve.StatusAsync()).Reloads;
                var switched = ClientLoad.Now;
                await layout.SwitchAsync(release);
                await TriggerAsync(serve, trigger, touch, before, output);
                var done = ClientLoad.Now;
                // Right after the reload, every answer comes from the new release.
                for (var i = 0; i < 4; i++)
                {
                    Assert.Equal(release, await ReleaseAsync(http));
                }

                reloads.Add(new Reload(release, trigger, switched, done));
                var rest = TimeSpan.FromSeconds(2) - (clock.Elapsed - started);
                if (rest > TimeSpan.Zero)
                {
                    await Task.Delay(rest);
                }
            }

            var result = await load.StopAsync();
            var status = await serve.StatusAsync();
            output.WriteLine($"{reloads.Count} reloads in {clock.Elapsed.TotalSeconds:0.0} s; load: {result}");
            foreach (var reload in reloads)
            {
                output.WriteLine($"  {reload.Trigger,-21} -> release {reload.Release}: done {Stopwatch.GetElapsedTime(reload.Switched, reload.Done).TotalMilliseconds:0} ms after the switch");
            }

            output.WriteLine(ServeProcess.Describe(status));

            Assert.True(result.Failures.Count == 0, $"{result}\n{serve.Log()}");
            Assert.Equal(reloads.Count, status.Reloads);
            for (var k = 0; k < reloads.Count; k++)
            {
                // Between one reload's end and the next switch, no answer comes from an older release.
                var (from, to) = (reloads[k].Done, k + 1 < reloads.Count ? reloads[k + 1].Switched : long.MaxValue);
                var stale = result.Samples.Where(s => s.Start > from && s.End < to && s.Value != reloads[k].Release).ToList();
                Assert.True(stale.Count == 0, $"after reload {k + 1} to {reloads[k].Release}: {stale.Count} answers from {string.Join(", ", stale.Select(s => s.Value).Distinct())}");
            }

            return result;
        }
    }

    /// <summary>
    /// Under load on release A: a reload onto C (`--reload`, whose new worker fails its health check), then onto D
    /// (SIGHUP, whose new worker exits with status <paramref name="dExitStatus"/>). Not one request may fail, and
    /// every answer comes from A. Returns what `--reload` printed and the status after D.
    /// </summary>
    public static async Task<(RunResult Unhealthy, ServeStatus AfterD)> FailedReloadsAsync(
        ServeProcess serve, HttpClient http, ReleaseLayout layout, int clients, int dExitStatus, ITestOutputHelper output)
    {
        var load = new ClientLoad(http, "api/info", clients, ReleaseOf);
        await using (load)
        {
            await load.RunsOnAsync(clients * 2);
            await layout.SwitchAsync("C");
            var unhealthy = await serve.CliAsync("--reload");
            await layout.SwitchAsync("D");
            await serve.SignalAsync("HUP");
            var afterD = await serve.WaitForStatusAsync(
                s => s.LastReload is { Ok: false } last && last.Message.Contains($"status {dExitStatus}", StringComparison.Ordinal), "the failed reload onto D");
            await load.RunsOnAsync(clients * 2);
            var result = await load.StopAsync();
            output.WriteLine($"reload onto C: exit {unhealthy.ExitCode}: {unhealthy.Stderr.Trim()}");
            output.WriteLine($"reload onto D (SIGHUP): {afterD.LastReload?.Message}");
            output.WriteLine($"load, direct on the socket: {result}; releases answering: {string.Join(", ", result.Samples.Select(s => s.Value).Distinct())}");

            Assert.True(result.Failures.Count == 0, $"{result}\n{serve.Log()}");
            Assert.All(result.Samples, s => Assert.Equal("A", s.Value));
            Assert.True(result.Total > 100, result.ToString());
            return (unhealthy, afterD);
        }
    }

    public static async Task<string> ReleaseAsync(HttpClient http) => ReleaseOf(await http.GetStringAsync("api/info"))!;

    public static string? ReleaseOf(string json)
    {
        using var info = JsonDocument.Parse(json);
        return info.RootElement.GetProperty("release").GetString();
    }

    private static async Task TriggerAsync(ServeProcess serve, string trigger, string touch, int before, ITestOutputHelper output)
    {
        switch (trigger)
        {
            case "SIGHUP":
                await serve.SignalAsync("HUP");
                break;
            case "touch-reload":
                File.SetLastWriteTimeUtc(touch, DateTime.UtcNow);
                break;
            default:
                var reload = await serve.CliAsync("--reload");
                Assert.True(reload.ExitCode == 0, reload.ToString());
                Assert.Contains("reloaded: 2 worker(s)", reload.Stdout, StringComparison.Ordinal);
                break;
        }

        var status = await serve.WaitForStatusAsync(s => s.Reloads > before || s.LastReload is { Ok: false }, $"reload {before + 1} ({trigger})", TimeSpan.FromSeconds(60));
        Assert.True(status.LastReload is { Ok: true }, $"{trigger}: {status.LastReload?.Message}\n{serve.Log()}");
        output.WriteLine($"  {trigger}: {status.LastReload!.Message}");
    }

    private sealed record Reload(string Release, string Trigger, long Switched, long Done);
}
