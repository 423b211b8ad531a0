namespace Hoist.Tests.Cli;

using Hoist.Cli;
using Hoist.Serve.Control;

public sealed class StatusTextTests
{
    private const string Crash = "exited before it was ready (status 1)\n  its last output:\n    Traceback (most recent call last):\n    ImportError: no module named flask";

    [Fact]
    public void Shows_Each_Failing_Slots_Last_Start_Failure_Once_By_Its_First_Line()
    {
        var status = Status(
            Worker(0, 4001, "ready", failure: null),
            // Slot 1's old worker still serves while its successor keeps failing: both carry the slot's failure.
            Worker(1, 4002, "ready", failure: Crash),
            Worker(1, 0, "restarting", failure: Crash),
            Worker(2, 0, "errored", failure: "could not be started: No such file or directory"));

        var lines = StatusText.Render(status).Split('\n');

        Assert.Equal(
            [
                "slot 1 last start failed: exited before it was ready (status 1)",
                "slot 2 last start failed: could not be started: No such file or directory",
            ],
            lines.Where(l => l.Contains("failed", StringComparison.Ordinal)));
        Assert.DoesNotContain(lines, l => l.Contains("Traceback", StringComparison.Ordinal));
    }

    [Fact]
    public void Shows_No_Failure_Line_When_No_Slot_Failed()
    {
        var text = StatusText.Render(Status(Worker(0, 4001, "ready", failure: null)));

        Assert.DoesNotContain("failed", text, StringComparison.Ordinal);
        Assert.EndsWith("/srv/app/releases/3", text, StringComparison.Ordinal);
    }

    private static ServeStatus Status(params WorkerReport[] workers) =>
        new(4000, "127.0.0.1:8000", 1, 0, null, 64L * 1024 * 1024, workers);

    private static WorkerReport Worker(int slot, int pid, string state, string? failure) =>
        new(slot, pid, state, 10, 0, 32L * 1024 * 1024, 0, state == "errored", 1, "/srv/app/releases/3", "127.0.0.1:9000", failure);
}
