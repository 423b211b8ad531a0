namespace Hoist.Serve.Workers;

/// <summary>How a commit or a revert of the held workers ended, for whoever asked (control socket, log).</summary>
internal sealed record HoldOutcome(bool Ok, string Message);
