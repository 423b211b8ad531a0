namespace Hoist.Deploy;

using Hoist.Remote;

/// <summary>How a gated switch ended: every host committed, or every switched host reverted (with the time it took).</summary>
/// <param name="Switched">Each host's switch run (switch, reload, health), in the order the groups went.</param>
/// <param name="Failed">The hosts whose switch failed, the reason each; empty when the fleet committed.</param>
/// <param name="Ended">The commit runs, or the revert runs.</param>
/// <param name="RevertTime">From the decision to go back until every reachable host was back; null when committed.</param>
internal sealed record SwitchOutcome(
    IReadOnlyList<HostRun> Switched,
    IReadOnlyList<(HostRun Run, string Why)> Failed,
    IReadOnlyList<HostRun> Ended,
    TimeSpan? RevertTime)
{
    public bool Committed => RevertTime is null;

    /// <summary>A Ctrl-C or SIGTERM during the switch or gate made the run go back (with or without a failed host).</summary>
    public bool Interrupted { get; init; }

    /// <summary>Why the lb's upstream may still leave web hosts out after a committed run that took none out (the lb not reached, its restore failing).</summary>
    public IReadOnlyList<string> LbUnfinished { get; init; } = [];
}
