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
            .Select(w => new WorkerReport(
                w.Slot, w.Pid, w.State.ToString().ToLowerInvariant(), w.Requests, w.InFlight, w.RssBytes(),
                slots[w.Slot].Restarts, slots[w.Slot].Errored, w.Generation, w.Release,
                w.UsesUnixSocket ? w.UnixPath : $"127.0.0.1:{w.Port}", slots[w.Slot].LastFailure))
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
}
