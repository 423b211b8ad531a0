namespace Hoist.Tests.Integration.Serve;

using System.Globalization;
using System.Net;
using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// The real hoist serve as a Type=notify unit's main process: NOTIFY_SOCKET set, as systemd sets it, to a datagram
/// socket the test binds; what hoist serve tells it, and when.
/// </summary>
public sealed class SystemdNotifyTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Ready_Comes_Only_Once_Every_Worker_Answers_Then_Reloading_Ready_And_Stopping_And_Workers_Never_See_The_Socket()
    {
        using var dir = new TempDir("hoist-notify");
        using var systemd = new NotifySocket();
        var socket = dir.Combine("app.sock");
        // Each worker takes a second before it listens: READY=1 before then would be a lie.
        var ini = WriteIni(dir, socket, "echo \"notify=[${NOTIFY_SOCKET:-}]\"; sleep 1; exec python3 -m http.server \"$PORT\" --bind 127.0.0.1");
        await using var serve = ServeProcess.Begin(ini, socket + ".ctl", new Dictionary<string, string> { ["NOTIFY_SOCKET"] = systemd.Address }, dir.Combine("serve.log"));
        using var http = UnixHttp.Create(socket);

        var ready = await systemd.WaitForAsync("READY", TimeSpan.FromSeconds(60));
        using var first = await http.GetAsync("/");
        var status = await serve.StatusAsync();
        var before = systemd.Seen.SkipLast(1).ToList();

        await serve.SignalAsync("HUP");
        var reloading = await systemd.WaitForAsync("RELOADING", TimeSpan.FromSeconds(30));
        var reloaded = await systemd.WaitForAsync("READY", TimeSpan.FromSeconds(60));
        await serve.SignalAsync("TERM");
        var stopping = await systemd.WaitForAsync("STOPPING", TimeSpan.FromSeconds(30));
        var exit = await serve.WaitForExitAsync(TimeSpan.FromSeconds(60));

        output.WriteLine(systemd.Describe());
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(2, status.Workers.Count(w => w.State == "ready"));
        Assert.All(before, m => Assert.Equal(["STATUS"], m.Select(p => p.Key)));
        Assert.Contains(new KeyValuePair<string, string>("MAINPID", serve.Pid.ToString(CultureInfo.InvariantCulture)), ready);
        Assert.Contains(ready, p => p.Key == "STATUS" && p.Value.StartsWith("2 worker(s) ready", StringComparison.Ordinal));
        Assert.Contains(reloading, p => p.Key == "MONOTONIC_USEC");
        Assert.Contains(reloaded, p => p.Key == "STATUS" && p.Value.StartsWith("reloaded: 2 worker(s) on generation 2", StringComparison.Ordinal));
        Assert.Contains(stopping, p => p.Key == "STOPPING" && p.Value == "1");
        Assert.Equal(0, exit);
        var log = serve.Log();
        Assert.Equal(4, log.Split('\n').Count(l => l.EndsWith("notify=[]", StringComparison.Ordinal)));
        Assert.DoesNotContain("notify=[@", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_First_Worker_That_Never_Gets_Ready_Ends_Hoist_Serve_With_Status_1_And_Why_And_Never_Ready()
    {
        using var dir = new TempDir("hoist-notify-broken");
        using var systemd = new NotifySocket();
        var socket = dir.Combine("app.sock");
        var ini = WriteIni(dir, socket, "echo 'boom: DATABASE_URL is not set' >&2; exit 3");
        await using var serve = ServeProcess.Begin(ini, socket + ".ctl", new Dictionary<string, string> { ["NOTIFY_SOCKET"] = systemd.Address }, dir.Combine("serve.log"));

        var exit = await serve.WaitForExitAsync(TimeSpan.FromSeconds(60));
        var stopping = await systemd.WaitForAsync("STOPPING", TimeSpan.FromSeconds(5));
        var text = await serve.OutputAsync();

        output.WriteLine($"exit {exit}\n{text}\nnotify: {systemd.Describe()}");
        Assert.Equal(1, exit);
        Assert.Contains("error: hoist serve did not start: 2 of 2 worker(s) never became ready", text, StringComparison.Ordinal);
        Assert.Contains("worker 1 exited with status 3 before becoming ready", text, StringComparison.Ordinal);
        Assert.Contains("    boom: DATABASE_URL is not set", text, StringComparison.Ordinal);
        Assert.Contains(stopping, p => p.Key == "STATUS" && p.Value.Contains("exited with status 3", StringComparison.Ordinal));
        Assert.DoesNotContain(systemd.Drain(), m => m.Any(p => p.Key == "READY"));
        Assert.False(File.Exists(socket), "the socket is vacuumed");
    }

    [Fact]
    public async Task A_Failed_Reload_Tells_Systemd_Only_The_First_Line_Of_Why_Never_The_Workers_Output()
    {
        using var dir = new TempDir("hoist-notify-status");
        using var systemd = new NotifySocket();
        var socket = dir.Combine("app.sock");
        // The new generation prints a database URL and exits: what a misconfigured app does at start-up.
        var ini = WriteIni(dir, socket,
            $"if [ -e {dir.Combine("broken")} ]; then echo 'connecting to DATABASE_URL=postgresql://app:Sup3rSecret@db/x' >&2; exit 3; fi; " +
            "exec python3 -m http.server \"$PORT\" --bind 127.0.0.1");
        await using var serve = ServeProcess.Begin(ini, socket + ".ctl", new Dictionary<string, string> { ["NOTIFY_SOCKET"] = systemd.Address }, dir.Combine("serve.log"));
        await systemd.WaitForAsync("READY", TimeSpan.FromSeconds(60));
        File.WriteAllText(dir.Combine("broken"), "");

        await serve.SignalAsync("HUP");
        await systemd.WaitForAsync("RELOADING", TimeSpan.FromSeconds(30));
        var after = await systemd.WaitForAsync("READY", TimeSpan.FromSeconds(60));

        output.WriteLine(systemd.Describe());
        Assert.Contains(new KeyValuePair<string, string>("STATUS", "reload stopped: the new worker 1 exited with status 3 before becoming ready; the old workers keep serving"), after);
        Assert.DoesNotContain("Sup3rSecret", systemd.Describe(), StringComparison.Ordinal);
        Assert.Contains("Sup3rSecret", serve.Log(), StringComparison.Ordinal); // the worker did print it: the log is the app's own
    }

    private static string WriteIni(TempDir dir, string socket, string command) =>
        dir.Write("serve.ini", string.Join('\n',
            "[uwsgi]",
            $"socket = {socket}",
            "processes = 2",
            $"chdir = {dir.Path}",
            $"command = {command}",
            "healthcheck = /",
            $"logto = {dir.Combine("serve.log")}",
            "vacuum = true",
            ""));
}
