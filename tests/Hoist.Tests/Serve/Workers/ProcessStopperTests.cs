namespace Hoist.Tests.Serve.Workers;

using System.Diagnostics;
using Hoist.Serve.Logging;
using Hoist.Serve.Workers;
using Hoist.Tests.Support;
using Microsoft.Extensions.Time.Testing;

/// <summary>Real processes (each the leader of its own group, as workers are), stopped with a fake clock for the grace.</summary>
public sealed class ProcessStopperTests : IDisposable
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);
    private readonly TempDir dir = new("hoist-stopper");
    private readonly FakeTimeProvider clock = new();
    private readonly ServeLog log;

    public ProcessStopperTests() => log = new ServeLog(dir.Combine("serve.log"), 1 << 20);

    [Fact]
    public async Task A_Worker_That_Exits_On_Sigterm_Is_Not_Killed()
    {
        using var worker = Start("exec sleep 60");

        await new ProcessStopper(clock, log).StopAsync(worker.Worker, Grace, Hoist.Serve.Native.SigTerm).WaitAsync(SupervisorFixture.Bound);

        Assert.True(worker.Process.HasExited);
        Assert.Equal(143, worker.Process.ExitCode); // 128 + SIGTERM
        Assert.DoesNotContain("killing it", File.ReadAllText(dir.Combine("serve.log")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Worker_Ignoring_Sigterm_Is_Killed_With_Its_Group_Once_The_Grace_Passed()
    {
        using var worker = Start("trap '' TERM; echo ready; sleep 60 & wait; wait");
        // Signalled only once its trap is set, or SIGTERM could end it first.
        Assert.Equal("ready", await worker.Process.StandardOutput.ReadLineAsync().WaitAsync(SupervisorFixture.Bound));

        var stopping = new ProcessStopper(clock, log).StopAsync(worker.Worker, Grace, Hoist.Serve.Native.SigTerm);
        clock.Advance(Grace - TimeSpan.FromSeconds(1));
        var stillRunning = !worker.Process.HasExited;
        clock.Advance(TimeSpan.FromSeconds(1));
        await stopping.WaitAsync(SupervisorFixture.Bound);

        Assert.True(stillRunning);
        Assert.Equal(137, worker.Process.ExitCode); // 128 + SIGKILL
        Assert.Contains($"{worker.Worker} did not stop within 30 s of SIGTERM; killing it", File.ReadAllText(dir.Combine("serve.log")), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        log.Dispose();
        dir.Dispose();
    }

    private static Started Start(string script)
    {
        var process = Process.Start(new ProcessStartInfo("setsid", ["sh", "-c", script]) { UseShellExecute = false, RedirectStandardOutput = true })!;
        var worker = new Worker(1, 1, 0, "/nonexistent.sock", "/", 0) { Process = process, Pid = process.Id };
        return new Started(worker, process);
    }

    private sealed record Started(Worker Worker, Process Process) : IDisposable
    {
        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
                Process.WaitForExit();
            }

            Process.Dispose();
        }
    }
}
