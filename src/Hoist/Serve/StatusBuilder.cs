namespace Hoist.Serve;

using Hoist.Serve.Config;
using Hoist.Serve.Control;
using Hoist.Serve.Workers;

/// <summary>
/// Takes a snapshot of the server and its workers for the control socket. The reload record is read first, then the
/// generation, then the workers: a reload stops its failed workers before it is recorded, so a snapshot that reports
/// it lists none of them, nor any worker of an earlier reload.
/// </summary>
internal sealed class StatusBuilder(ServeConfig config, Supervisor supervisor)
{
    public ServeStatus Build()
    {
        var tally = supervisor.Tally;
        var generation = supervisor.Generation;
        var heldUntil = supervisor.HeldUntil;
        var slots = supervisor.Slots.ToDictionary(s => s.Index);
        var workers = supervisor.Live
            .OrderBy(w => w.Slot).ThenBy(w => w.Generation)
            .Select(w => (Worker: w, Frozen: w.State == WorkerState.Ready ? supervisor.FrozenSince(w) : null))
            .Select(f => new WorkerReport(
                f.Worker.Slot, f.Worker.Pid, f.Frozen is null ? f.Worker.State.ToString().ToLowerInvariant() : Frozen, f.Worker.Requests, f.Worker.InFlight,
                f.Worker.RssBytes(), slots[f.Worker.Slot].Restarts, slots[f.Worker.Slot].Errored, f.Worker.Generation, f.Worker.Release,
                f.Worker.UsesUnixSocket ? f.Worker.UnixPath : $"127.0.0.1:{f.Worker.Port}",
                f.Frozen is { } since ? FrozenWhy(f.Worker, since) : slots[f.Worker.Slot].LastFailure))
            .ToList();
        var missing = supervisor.Slots.Where(s => !workers.Any(w => w.Slot == s.Index))
            .Select(s => new WorkerReport(s.Index, 0, s.Errored ? "errored" : "restarting", 0, 0, 0, s.Restarts, s.Errored, s.Release?.Number ?? generation, "", "", s.LastFailure));
        var last = tally.Last;
        return new ServeStatus(
            Environment.ProcessId,
            config.Listen.ToString()!,
            generation,
            tally.Succeeded,
            last is null ? null : new ReloadReport(last.Ok, last.Message, last.At),
            ProcessTree.OwnRss(Environment.ProcessId),
            [.. workers, .. missing],
            heldUntil);
    }

    /// <summary>The state a ready worker the kernel holds stopped is reported in: it answers nothing, so it is not ready.</summary>
    public const string Frozen = "frozen";

    private string FrozenWhy(Worker worker, DateTimeOffset since) =>
        $"worker {worker.Slot} (pid {worker.Pid}) is frozen: stopped by a signal (SIGSTOP?) since {since:HH:mm:ss} UTC; " +
        $"hoist serve kills and restarts it {supervisor.FrozenLimit.TotalSeconds:0} s after";
}
