namespace Hoist.Serve;

using Hoist.Serve.Config;
using Hoist.Serve.Control;
using Hoist.Serve.Workers;

/// <summary>Takes a snapshot of the server and its workers for the control socket.</summary>
internal sealed class StatusBuilder(ServeConfig config, Supervisor supervisor)
{
    public ServeStatus Build()
    {
        var slots = supervisor.Slots.ToDictionary(s => s.Index);
        var workers = supervisor.Live
            .OrderBy(w => w.Slot).ThenBy(w => w.Generation)
            .Select(w => new WorkerReport(
                w.Slot, w.Pid, w.State.ToString().ToLowerInvariant(), w.Requests, w.InFlight, w.RssBytes(),
                slots[w.Slot].Restarts, slots[w.Slot].Errored, w.Generation, w.Release,
                w.UsesUnixSocket ? w.UnixPath : $"127.0.0.1:{w.Port}", slots[w.Slot].LastFailure))
            .ToList();
        var missing = supervisor.Slots.Where(s => !workers.Any(w => w.Slot == s.Index))
            .Select(s => new WorkerReport(s.Index, 0, s.Errored ? "errored" : "restarting", 0, 0, 0, s.Restarts, s.Errored, s.Release?.Number ?? supervisor.Generation, "", "", s.LastFailure));
        var tally = supervisor.Tally;
        var last = tally.Last;
        return new ServeStatus(
            Environment.ProcessId,
            config.Listen.ToString()!,
            supervisor.Generation,
            tally.Succeeded,
            last is null ? null : new ReloadReport(last.Ok, last.Message, last.At),
            ProcessTree.OwnRss(Environment.ProcessId),
            [.. workers, .. missing]);
    }
}
