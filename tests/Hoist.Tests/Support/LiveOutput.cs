namespace Hoist.Tests.Support;

using System.Diagnostics;

/// <summary>
/// Everything a started process prints, stdout and stderr, collected line by line while it runs, so a test can wait
/// for a line (with a deadline) before it acts, and still have all of the output at the end.
/// </summary>
internal sealed class LiveOutput
{
    private readonly List<string> stdout = [];
    private readonly List<string> stderr = [];
    private readonly Task pumps;

    public LiveOutput(Process process)
    {
        Process = process;
        pumps = Task.WhenAll(PumpAsync(process.StandardOutput, stdout), PumpAsync(process.StandardError, stderr));
    }

    public Process Process { get; }

    public string Stdout => Join(stdout);

    public string Stderr => Join(stderr);

    /// <summary>Waits until a line of either stream contains <paramref name="text"/>; fails if the process ends first or the deadline passes.</summary>
    public async Task WaitForLineAsync(string text, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!Contains(text))
        {
            if (Process.HasExited && pumps.IsCompleted && !Contains(text))
            {
                Assert.Fail($"hoist ended (exit {Process.ExitCode}) before printing '{text}':\n{this}");
            }

            Assert.True(clock.Elapsed < timeout, $"no line with '{text}' after {timeout.TotalSeconds:0} s:\n{this}");
            await Task.Delay(20);
        }
    }

    /// <summary>Waits for the process to exit and its output to end; false if it is still running at the deadline.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await Process.WaitForExitAsync(deadline.Token);
            await pumps.WaitAsync(deadline.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public override string ToString() => $"--- stdout\n{Stdout}\n--- stderr\n{Stderr}";

    private bool Contains(string text)
    {
        lock (stdout)
        {
            return stdout.Concat(stderr).Any(l => l.Contains(text, StringComparison.Ordinal));
        }
    }

    private string Join(List<string> lines)
    {
        lock (stdout)
        {
            return string.Join('\n', lines);
        }
    }

    private async Task PumpAsync(StreamReader reader, List<string> lines)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (stdout)
            {
                lines.Add(line);
            }
        }
    }
}
