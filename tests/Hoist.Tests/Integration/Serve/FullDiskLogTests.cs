namespace Hoist.Tests.Integration.Serve;

using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// logto on a file system that fills up (a 256 KiB tmpfs) under an app that logs 2 KB per request: hoist serve drops
/// the lines it cannot write and keeps serving, and says how many it lost once the disk has room again.
/// </summary>
public sealed class FullDiskLogTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_Full_Log_Disk_Loses_Lines_But_No_Request_And_The_Log_Says_How_Many_Were_Lost()
    {
        using var dir = new TempDir("hoist-serve-fulldisk");
        ServeApps.CopyHttpApp(dir.Path);
        await using var disk = await TmpfsMount.MountAsync(dir.Combine("logs"), "256k");
        var logTo = Path.Combine(disk.Path, "serve.log");
        var (ini, socket) = CommandIni.Write(dir, 2, "LOUD_BYTES=2048 exec python3 app.py 1.1", "healthcheck = /up", $"logto = {logTo}");
        await using var serve = await ServeProcess.StartAsync(ini, socket + ".ctl", ready: 2, logTo);
        using var http = UnixHttp.Create(socket);
        var fdsBefore = OpenFiles(serve);

        LoadResult result;
        await using (var load = new ClientLoad(http, "api/info", clients: 4))
        {
            await disk.FillAsync("ballast");
            // Each request is one line the log cannot take now.
            await load.RunsOnAsync(200);
            File.Delete(Path.Combine(disk.Path, "ballast"));
            await load.RunsOnAsync(20);
            result = await load.StopAsync();
        }

        var lines = File.ReadAllLines(logTo);
        var lost = lines.FirstOrDefault(l => l.Contains(" line(s) of this log were lost", StringComparison.Ordinal));
        var fdsAfter = OpenFiles(serve);
        output.WriteLine($"load, 2 workers, 2 KB of log per request, disk full for 200 of them: {result}; hoist serve running: {!serve.HasExited}, open files {fdsBefore} before, {fdsAfter} after");
        output.WriteLine(lost ?? "(no line says what was lost)");

        var said = await serve.OutputAsync();
        // The log is mostly the app's 2 KB lines: its last part is where the story ends.
        said = said.Length > 4000 ? said[..2000] + "\n...\n" + said[^2000..] : said;
        Assert.True(result.Failures.Count == 0, $"{result}\n{said}");
        Assert.False(serve.HasExited, said);
        Assert.NotNull(lost);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT[\d:.]+Z \[hoist\] [1-9]\d* line\(s\) of this log were lost: could not write to ", lost);
        Assert.Contains("No space left on device", lost, StringComparison.Ordinal);
        Assert.True(lines.SkipWhile(l => l != lost).Skip(1).Any(l => l.Contains("/api/info xxx", StringComparison.Ordinal)), "no worker line written after the disk had room again");
    }

    /// <summary>hoist serve's open files (-1 once it has exited): a log reopened after each failed write must not leak any.</summary>
    private static int OpenFiles(ServeProcess serve) => serve.HasExited ? -1 : Directory.GetFiles($"/proc/{serve.Pid}/fd").Length;
}
