namespace Hoist.Tests.Serve.Workers;

using System.Diagnostics;
using Hoist.Serve.Workers;

public sealed class ProcessReleaseTests
{
    [Fact]
    public async Task Disposes_The_Process_Only_After_Its_Last_Line_Of_Output_Was_Read()
    {
        var lines = new List<string>();
        var process = new Process
        {
            StartInfo = new ProcessStartInfo("sh", ["-c", "echo first; sleep 0.2; echo last"]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false },
        };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (lines)
                {
                    lines.Add(e.Data);
                }
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        ProcessRelease.AfterDrained(process);

        // Disposed: a Process without a process throws on HasExited.
        var clock = Stopwatch.StartNew();
        while (IsAssociated(process) && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(10);
        }

        Assert.False(IsAssociated(process), "not disposed 10 s after it exited");
        lock (lines)
        {
            Assert.Equal(["first", "last"], lines);
        }
    }

    private static bool IsAssociated(Process process)
    {
        try
        {
            _ = process.HasExited;
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
