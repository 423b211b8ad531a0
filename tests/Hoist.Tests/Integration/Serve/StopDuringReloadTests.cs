namespace Hoist.Tests.Integration.Serve;

using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// `systemctl stop` while `systemctl reload` waits: the unit's ExecReload (`hoist serve --reload`) must not fail, or
/// systemd leaves the stopped unit `failed`. The real binary as a Type=notify main process, a new worker slow to get ready.
/// </summary>
public sealed class StopDuringReloadTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_Reload_Abandoned_Because_The_Server_Stops_Exits_0_And_Says_So_And_Never_Reports_Ready_After_Stopping()
    {
        using var dir = new TempDir("hoist-serve-stop-reload");
        using var systemd = new NotifySocket();
        // The new generation takes 30 s to listen: the reload is still waiting for it when the stop comes.
        var (ini, socket) = CommandIni.Write(dir, 1, $"if [ -e {dir.Combine("slow")} ]; then sleep 30; fi; {CommandIni.HttpServer}",
            "healthcheck = /",
            "ready-timeout = 60",
            $"logto = {dir.Combine("serve.log")}",
            "vacuum = true");
        await using var serve = ServeProcess.Begin(ini, socket + ".ctl", new Dictionary<string, string> { ["NOTIFY_SOCKET"] = systemd.Address }, dir.Combine("serve.log"));
        await systemd.WaitForAsync("READY", TimeSpan.FromSeconds(60));
        File.WriteAllText(dir.Combine("slow"), "");

        var reload = serve.CliAsync("--reload");
        await systemd.WaitForAsync("RELOADING", TimeSpan.FromSeconds(30));
        await serve.WaitForStatusAsync(s => s.Workers.Any(w => w.Generation == 2), "the new worker starting");
        await serve.SignalAsync("TERM");
        var result = await reload.WaitAsync(TimeSpan.FromSeconds(60));
        var exit = await serve.WaitForExitAsync(TimeSpan.FromSeconds(60));
        var after = systemd.Drain().SkipWhile(m => !m.Any(p => p.Key == "STOPPING")).ToList();

        output.WriteLine($"--reload: {result}\nserve exit {exit}\nnotify: {systemd.Describe()}\n{serve.Log()}");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("reload abandoned: hoist serve is stopping\n", result.Stdout);
        Assert.Equal("", result.Stderr);
        Assert.Equal(0, exit);
        Assert.NotEmpty(after);
        Assert.DoesNotContain(after, m => m.Any(p => p.Key == "READY"));
    }
}
