namespace Hoist.Tests.Integration.Serve;

using System.Diagnostics;
using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// The attacker's drill: a new release that answers /up and dies 10 ms later. The reload must fail (with the dead
/// worker's status and last lines) instead of reporting success over slots in restart backoff, and the old release
/// must serve again.
/// </summary>
public sealed class CrashAfterReadyReloadTests(ITestOutputHelper output)
{
    private const string Line = "B: worker crashed after boot";

    [Fact]
    public async Task Reload_Onto_A_Release_That_Dies_10_ms_After_Ready_Exits_1_With_Its_Lines_And_The_Old_Release_Serves_Again_Under_Load()
    {
        using var dir = new TempDir("hoist-serve-probation");
        var layout = new ReleaseLayout(dir.Combine("deploy"));
        await CommandReleases.AddServingAsync(layout, "A");
        await CommandReleases.AddDyingAfterReadyAsync(layout, "B", Line);
        await layout.SwitchAsync("A");
        var (ini, socket) = CommandReleases.WriteIni(dir, layout);
        await using var serve = await ServeProcess.StartAsync(ini, socket + ".ctl", ready: 2, dir.Combine("serve.log"));
        using var http = UnixHttp.Create(socket);

        // A request loop, as the attacker's curl loop: one client, a request every 5 ms.
        var load = new ClientLoad(http, "api/info", clients: 1, ReloadDrill.ReleaseOf);
        await using (load)
        {
            await load.RunsOnAsync(50);
            await layout.SwitchAsync("B");
            var began = ClientLoad.Now;
            var reload = await serve.CliAsync("--reload");
            var done = ClientLoad.Now;
            output.WriteLine($"--reload onto B: exit {reload.ExitCode} in {Stopwatch.GetElapsedTime(began, done).TotalSeconds:0.00} s: {reload.Stdout.Trim()} {reload.Stderr.Trim()}");
            Hoist.Serve.Control.ServeStatus back;
            try
            {
                back = await serve.WaitForStatusAsync(
                    s => s.Workers.Count(w => w.State == "ready" && w.Release == layout.Release("A")) == 2, "both slots ready on release A", TimeSpan.FromSeconds(30));
            }
            catch (TimeoutException)
            {
                output.WriteLine($"never back on A; load: {await load.StopAsync()}");
                throw;
            }

            var backAt = ClientLoad.Now;
            await load.RunsOnAsync(100);
            var result = await load.StopAsync();

            var after = result.Samples.Where(s => s.Start > backAt).ToList();
            output.WriteLine($"both slots ready on A {Stopwatch.GetElapsedTime(began, backAt).TotalSeconds:0.00} s after the reload began; {ServeProcess.Describe(back)}");
            output.WriteLine($"load: {result}; 503s: {result.Samples.Count(s => s.Status == 503)} of {result.Total}; after the slots were back: {after.Count(s => !s.Ok)} failed of {after.Count}");

            Assert.True(reload.ExitCode == 1, $"{reload}\n{serve.Log()}");
            Assert.True(reload.Stderr.Contains("exited with status 3 after becoming ready", StringComparison.Ordinal), $"{reload}\n{serve.Log()}");
            Assert.True(reload.Stderr.Contains(Line, StringComparison.Ordinal), $"{reload}\n{serve.Log()}");
            Assert.Equal(0, back.Reloads);
            Assert.NotEmpty(after);
            Assert.All(after, s => Assert.Equal((200, "A"), (s.Status, s.Value)));
        }
    }
}
