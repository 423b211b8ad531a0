namespace Hoist.Tests.Integration.Serve;

using System.Diagnostics;
using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// Fail fast and say why: a release whose workers exit before they are ready fails `--reload` and `--daemon` (what
/// hoist deploy runs) within seconds, not after ready-timeout, with the app's own last lines; a worker that never
/// listens is reported with the port and socket it was given.
/// </summary>
public sealed class FailFastTests(ITestOutputHelper output)
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_Crash_Looping_New_Release_Fails_Reload_Within_Seconds_With_The_Apps_Last_Lines()
    {
        using var dir = new TempDir("hoist-serve-failfast");
        var layout = new ReleaseLayout(dir.Combine("deploy"));
        await CommandReleases.AddServingAsync(layout, "A");
        await CommandReleases.AddCrashingAsync(layout, "B", "B: loading settings", "B: DATABASE_URL is not set");
        await layout.SwitchAsync("A");
        var (ini, socket) = CommandReleases.WriteIni(dir, layout, $"ready-timeout = {ReadyTimeout.TotalSeconds:0}");
        await using var serve = await ServeProcess.StartAsync(ini, socket + ".ctl", ready: 2, dir.Combine("serve.log"));

        await layout.SwitchAsync("B");
        var clock = Stopwatch.StartNew();
        var reload = await serve.CliAsync("--reload");
        var took = clock.Elapsed;

        output.WriteLine($"--reload onto a crashing release: exit {reload.ExitCode} in {took.TotalSeconds:0.0} s (ready-timeout {ReadyTimeout.TotalSeconds:0} s)\n{reload.Stderr}");
        Assert.True(reload.ExitCode == 1, reload.ToString());
        Assert.Contains("exited with status 3 before becoming ready", reload.Stderr, StringComparison.Ordinal);
        Assert.Contains("B: loading settings", reload.Stderr, StringComparison.Ordinal);
        Assert.Contains("B: DATABASE_URL is not set", reload.Stderr, StringComparison.Ordinal);
        Assert.True(took < ReadyTimeout, $"--reload took {took.TotalSeconds:0.0} s: it waited ready-timeout");
    }

    [Fact]
    public async Task A_Crash_Looping_First_Release_Fails_Daemon_Within_Seconds_With_The_Apps_Last_Lines()
    {
        using var dir = new TempDir("hoist-serve-failfast-daemon");
        var layout = new ReleaseLayout(dir.Combine("deploy"));
        await CommandReleases.AddCrashingAsync(layout, "B", "B: loading settings", "B: DATABASE_URL is not set");
        await layout.SwitchAsync("B");
        var (ini, _) = CommandReleases.WriteIni(dir, layout, $"ready-timeout = {ReadyTimeout.TotalSeconds:0}");
        Task<RunResult> Serve(params string[] args) => HoistCli.RunAsync(dir.Path, ["serve", "--ini", ini, .. args]);
        try
        {
            var clock = Stopwatch.StartNew();
            var daemon = await Serve("--daemon");
            var took = clock.Elapsed;

            output.WriteLine($"--daemon with a crashing release: exit {daemon.ExitCode} in {took.TotalSeconds:0.0} s (ready-timeout {ReadyTimeout.TotalSeconds:0} s)\n{daemon.Stderr}");
            Assert.True(daemon.ExitCode == 1, daemon.ToString());
            Assert.Contains("0 of 2 worker(s) are ready", daemon.Stderr, StringComparison.Ordinal);
            Assert.Contains("exited with status 3 before becoming ready", daemon.Stderr, StringComparison.Ordinal);
            Assert.Contains("B: DATABASE_URL is not set", daemon.Stderr, StringComparison.Ordinal);
            Assert.True(took < ReadyTimeout, $"--daemon took {took.TotalSeconds:0.0} s: it waited ready-timeout");
        }
        finally
        {
            var stop = await Serve("--stop");
            output.WriteLine($"--stop: {stop.Stdout.Trim()}");
        }
    }

    [Fact]
    public async Task A_Worker_That_Never_Listens_Is_Reported_With_The_Port_And_Socket_It_Was_Given()
    {
        using var dir = new TempDir("hoist-serve-nolisten");
        var layout = new ReleaseLayout(dir.Combine("deploy"));
        await CommandReleases.AddServingAsync(layout, "A");
        Directory.CreateDirectory(layout.Release("C"));
        // Runs, but listens nowhere Hoist said (as an app with a hard-coded port would).
        await File.WriteAllTextAsync(Path.Combine(layout.Release("C"), "start.sh"), "echo 'C: listening on :5000'\nexec sleep 600\n");
        await layout.SwitchAsync("A");
        var (ini, socket) = CommandReleases.WriteIni(dir, layout, "ready-timeout = 3");
        await using var serve = await ServeProcess.StartAsync(ini, socket + ".ctl", ready: 2, dir.Combine("serve.log"));

        await layout.SwitchAsync("C");
        var reload = await serve.CliAsync("--reload");

        output.WriteLine($"--reload onto a release that never listens: exit {reload.ExitCode}\n{reload.Stderr}");
        Assert.True(reload.ExitCode == 1, reload.ToString());
        Assert.Matches(@"not ready after 3 s .*; it was given \$PORT=(\d+) \(127\.0\.0\.1:\1, also in ASPNETCORE_URLS\) and \$SOCKET=/\S+\.sock, and listens on neither", reload.Stderr);
        Assert.Contains("C: listening on :5000", reload.Stderr, StringComparison.Ordinal);
    }
}
