namespace Hoist.Serve.Workers;

/// <summary>How a reload ended, for whoever asked (control socket, log, stats).</summary>
internal sealed record ReloadOutcome(bool Ok, string Message, int Generation, DateTimeOffset At);
