namespace Hoist.Tests.Integration.Serve;

using System.Diagnostics;
using System.Net;
using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>An app that exits as soon as it starts, under a real `hoist serve`: backoff, then errored; clients get a quick 503.</summary>
public sealed class CrashLoopTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_Crash_Looping_App_Is_Marked_Errored_And_Requests_Get_A_Fast_503_With_Retry_After()
    {
        using var dir = new TempDir("hoist-serve-crash");
        var socket = dir.Combine("app.sock");
        var ini = dir.Write("serve.ini", string.Join('\n',
            "[uwsgi]",
            $"socket = {socket}",
            "processes = 2",
            $"chdir = {dir.Path}",
            "command = echo 'boom: DATABASE_URL is not set' >&2; exit 3",
            "healthcheck = /up",
            $"logto = {dir.Combine("serve.log")}",
            "vacuum = true",
            ""));
        await using var serve = await ServeProcess.StartAsync(ini, socket + ".ctl", ready: 0, dir.Combine("serve.log"));
        using var http = UnixHttp.Create(socket);

        var clock = Stopwatch.StartNew();
        using var early = await http.GetAsync("/");
        var earlyTook = clock.Elapsed;
        var errored = await serve.WaitForStatusAsync(
            s => s.Workers.Select(w => w.Slot).Distinct().Count() == 2 && s.Workers.All(w => w.Errored), "both slots errored", TimeSpan.FromSeconds(40));
        clock.Restart();
        using var late = await http.GetAsync("/api/info");
        var lateTook = clock.Elapsed;
        var status = await serve.CliAsync("--status");

        output.WriteLine($"first GET: {(int)early.StatusCode} Retry-After {early.Headers.RetryAfter} in {earlyTook.TotalMilliseconds:0} ms; " +
            $"after errored: {(int)late.StatusCode} in {lateTook.TotalMilliseconds:0} ms\n{status.Stdout}");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, early.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, late.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), late.Headers.RetryAfter?.Delta);
        Assert.Contains("no worker is ready", await late.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.All(errored.Workers, w => Assert.True(w.Restarts >= 4, $"slot {w.Slot}: {w.Restarts} restarts"));
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("errored", status.Stdout, StringComparison.Ordinal);
        var log = serve.Log();
        Assert.Contains("worker 1 is errored: 5 failures in a row", log, StringComparison.Ordinal);
        Assert.Contains("boom: DATABASE_URL is not set", log, StringComparison.Ordinal);
    }
}
