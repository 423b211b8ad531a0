namespace Hoist.Tests.Integration.Machines;

using System.Diagnostics;
using System.Text.Json;

/// <summary>hoist status while web2's workers are killed -9 (restarts counted) and then frozen by SIGSTOP (not ready, exit 1, until hoist serve replaces them).</summary>
public sealed partial class SeedStackTests
{
    // [h]: the pattern must not match the shell that runs pgrep.
    private const string WorkerPids = "pgrep -f '[h]oist_gunicorn.py' | sort -n | tr '\\n' ' '";

    [Fact]
    public async Task Status_Counts_Web2s_Workers_Killed_9_As_Restarts_Then_Shows_Them_Frozen_After_Sigstop_And_0_Once_Hoist_Serve_Replaced_Them()
    {
        var web1 = stack.Address("web1");
        var web2 = stack.Address("web2");
        var before = await Web2WorkersAsync();
        Assert.True(before.Exit == 0 && before.Ready == 2, $"web2 not healthy to begin with: {before}");
        var first = await WorkerPidsAsync();
        Assert.Equal(2, first.Length);

        await stack.Testbed.SshAsync("web2", $"kill -9 {string.Join(' ', first)}");
        var killed = await WaitForWeb2Async(s => s.Exit == 0 && s.Ready == 2 && s.Restarts == before.Restarts + 2, "both killed workers back, 2 restarts more", TimeSpan.FromSeconds(60));
        output.WriteLine($"kill -9 of web2's workers {string.Join(' ', first)}: status then {killed}");

        var second = await WorkerPidsAsync();
        Assert.Equal(2, second.Length);
        Assert.Empty(second.Intersect(first));
        try
        {
            var watch = Stopwatch.StartNew();
            await stack.Testbed.SshAsync("web2", $"kill -STOP {string.Join(' ', second)}");
            // hoist serve looks every 2 s; the table is the one read while it says so, within the 20 s after which it kills them.
            var table = await WaitForTableAsync(t => t.ExitCode == 1 && t.Stdout.Contains(" is frozen: ", StringComparison.Ordinal), "web2's workers shown frozen", TimeSpan.FromSeconds(18));
            output.WriteLine($"status {watch.Elapsed.TotalSeconds:F1} s after SIGSTOP of {string.Join(' ', second)}: {table}");
            Assert.Matches(
                $@"{System.Text.RegularExpressions.Regex.Escape(web2)}: unhealthy: workers ready 0/2: worker 1 \(pid ({string.Join('|', second)})\) is frozen: stopped by a signal \(SIGSTOP\?\) since \d\d:\d\d:\d\d UTC; hoist serve kills and restarts it 20 s after",
                table.Stdout);
            Assert.DoesNotContain($"{web1}: unhealthy", table.Stdout, StringComparison.Ordinal);
            Assert.EndsWith("1 of 2 host(s) unhealthy\n", table.Stdout, StringComparison.Ordinal);

            var back = await WaitForWeb2Async(s => s.Exit == 0 && s.Ready == 2 && s.Restarts == before.Restarts + 4, "web2's frozen workers replaced, 2 restarts more", TimeSpan.FromSeconds(90));
            output.WriteLine($"status once hoist serve replaced the frozen workers ({watch.Elapsed.TotalSeconds:F1} s after SIGSTOP): {back}");
            var third = await WorkerPidsAsync();
            Assert.Equal(2, third.Length);
            Assert.Empty(third.Intersect(second));
            var logs = await stack.HoistAsync("logs", "-n", "20", "--grep", "frozen");
            output.WriteLine($"hoist logs --grep frozen: {logs}");
            Assert.Equal(2, logs.Stdout.Split('\n').Count(l => l.StartsWith($"[{web2}] ", StringComparison.Ordinal) && l.Contains("has been stopped by a signal (frozen) for 20 s or more; killing it (SIGKILL) to restart it", StringComparison.Ordinal)));
        }
        finally
        {
            // Should they still be there (a failed assertion above), they must not stay frozen for the next test.
            await stack.Testbed.SshAsync("web2", $"kill -CONT {string.Join(' ', second)} 2>/dev/null || true");
            await stack.WaitForPageAsync("web2", TimeSpan.FromSeconds(60));
        }
    }

    private async Task<Hoist.Tests.Support.RunResult> WaitForTableAsync(Func<Hoist.Tests.Support.RunResult, bool> condition, string what, TimeSpan within)
    {
        var watch = Stopwatch.StartNew();
        var last = await stack.HoistAsync("status");
        while (!condition(last))
        {
            Assert.True(watch.Elapsed < within, $"never within {within.TotalSeconds:0} s: {what}; last status: {last}");
            await Task.Delay(500);
            last = await stack.HoistAsync("status");
        }

        return last;
    }

    private async Task<string[]> WorkerPidsAsync() =>
        (await stack.Testbed.SshAsync("web2", WorkerPids)).Stdout.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private async Task<Web2Workers> WaitForWeb2Async(Func<Web2Workers, bool> condition, string what, TimeSpan within)
    {
        var watch = Stopwatch.StartNew();
        var last = await Web2WorkersAsync();
        while (!condition(last))
        {
            Assert.True(watch.Elapsed < within, $"never within {within.TotalSeconds:0} s: {what}; last status of web2: {last}");
            await Task.Delay(500);
            last = await Web2WorkersAsync();
        }

        return last;
    }

    /// <summary>hoist status --json's exit and web2's worker cell.</summary>
    private async Task<Web2Workers> Web2WorkersAsync()
    {
        var json = await stack.HoistAsync("status", "--json");
        using var parsed = JsonDocument.Parse(json.Stdout);
        var host = parsed.RootElement.GetProperty("hosts").EnumerateArray().Single(h => h.GetProperty("host").GetString() == stack.Address("web2"));
        var workers = host.GetProperty("workers");
        return workers.ValueKind == JsonValueKind.Null
            ? new Web2Workers(json.ExitCode, -1, -1, -1)
            : new Web2Workers(json.ExitCode, workers.GetProperty("ready").GetInt32(), workers.GetProperty("total").GetInt32(), workers.GetProperty("restarts").GetInt32());
    }

    private sealed record Web2Workers(int Exit, int Ready, int Total, int Restarts);
}
