namespace Hoist.Tests.Integration.Serve;

using System.Diagnostics;
using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// A restart keeps its generation's release: after a reload onto a broken release failed (the old workers keep
/// serving, `current` points at the broken one), a crashed old worker comes back on its own release, not `current`.
/// </summary>
public sealed class FailedReloadRestartTests(ITestOutputHelper output)
{
    private const int Clients = 32;

    [Fact]
    public async Task Kill9_Of_An_Old_Worker_After_A_Failed_Reload_Brings_It_Back_On_Its_Own_Release_Under_Load()
    {
        using var dir = new TempDir("hoist-serve-pinned");
        var layout = new ReleaseLayout(dir.Combine("deploy"));
        await CommandReleases.AddServingAsync(layout, "A");
        await CommandReleases.AddCrashingAsync(layout, "B", "B: DATABASE_URL is not set");
        await layout.SwitchAsync("A");
        var (ini, socket) = CommandReleases.WriteIni(dir, layout, "ready-timeout = 20");
        await using var serve = await ServeProcess.StartAsync(ini, socket + ".ctl", ready: 2, dir.Combine("serve.log"));
        using var http = UnixHttp.Create(socket);

        var load = new ClientLoad(http, "api/info", Clients, ReloadDrill.ReleaseOf);
        await using (load)
        {
            await layout.SwitchAsync("B");
            var reload = await serve.CliAsync("--reload");
            Assert.True(reload.ExitCode == 1, reload.ToString());
            var victim = (await serve.StatusAsync()).Workers.Single(w => w.Slot == 1);
            var killed = ClientLoad.Now;
            await ServeProcess.KillAsync("KILL", victim.Pid);
            var outAt = (await serve.WaitForStatusAsync(s => !s.Workers.Any(w => w.Pid == victim.Pid), "the killed worker out of the status"), ClientLoad.Now).Item2;
            Hoist.Serve.Control.ServeStatus back;
            try
            {
                back = await serve.WaitForStatusAsync(
                    s => s.Workers.Any(w => w.Slot == 1 && w.State == "ready" && w.Pid != victim.Pid), "slot 1 ready again", TimeSpan.FromSeconds(20));
            }
            catch (TimeoutException)
            {
                var stuck = await serve.StatusAsync();
                output.WriteLine($"slot 1 not back within 20 s of kill -9: {ServeProcess.Describe(stuck)}");
                throw;
            }

            var backAt = ClientLoad.Now;
            // A few rounds of every client after it is back, so that it serves under load too.
            await serve.WaitForStatusAsync(s => s.Workers.Single(w => w.Slot == 1 && w.State == "ready").Requests >= 50, "slot 1's new worker serving");
            var result = await load.StopAsync();

            var slot1 = back.Workers.Single(w => w.Slot == 1 && w.State == "ready");
            output.WriteLine($"reload onto B: exit {reload.ExitCode}: {reload.Stderr.Trim()}");
            output.WriteLine($"kill -9 {victim.Pid} (slot 1, release {Path.GetFileName(victim.Release)}): out of rotation in " +
                $"{Stopwatch.GetElapsedTime(killed, outAt).TotalMilliseconds:0} ms, back in {Stopwatch.GetElapsedTime(killed, backAt).TotalMilliseconds:0} ms " +
                $"as pid {slot1.Pid} on release {Path.GetFileName(slot1.Release)}, restarts {slot1.Restarts}");
            output.WriteLine($"load, direct on the socket: {result}; releases answering: {string.Join(", ", result.Samples.Select(s => s.Value).Distinct())}");
            // The front's own account of each failed forward: which worker, which error, whether it was sent again.
            var forwards = File.ReadLines(dir.Combine("serve.log")).Where(l => l.Contains("forwarding ", StringComparison.Ordinal)).ToList();
            output.WriteLine($"front: {forwards.Count} failed forwards{(forwards.Count > 0 ? ":\n" + string.Join("\n", forwards) : "")}");

            Assert.Equal(layout.Release("A"), slot1.Release);
            Assert.All(back.Workers.Where(w => w.State == "ready"), w => Assert.Equal(layout.Release("A"), w.Release));
            // Only the killed worker's own in-flight requests may fail, as cut connections: never a 5xx from the front.
            Assert.True(result.Failures.Count <= Clients, result.ToString());
            Assert.All(result.Failures, f => Assert.Equal(0, f.Status));
            Assert.All(result.Samples.Where(s => s.Ok), s => Assert.Equal("A", s.Value));
            Assert.True(result.Total > 100, result.ToString());
        }
    }
}
