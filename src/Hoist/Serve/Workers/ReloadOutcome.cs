namespace Hoist.Serve.Workers;

/// <summary>How a reload ended, for whoever asked (control socket, log, stats).</summary>
/// <param name="Abandoned">
/// Given up because hoist serve is stopping: no failure (a `systemctl stop` during a reload must not leave the unit
/// failed), and nothing is ready again either.
/// </param>
internal sealed record ReloadOutcome(bool Ok, string Message, int Generation, DateTimeOffset At, bool Abandoned = false);

/// <summary>How many reloads succeeded, and the outcome of the last one: replaced as one value when a reload ends.</summary>
internal sealed record ReloadTally(int Succeeded, ReloadOutcome? Last);
