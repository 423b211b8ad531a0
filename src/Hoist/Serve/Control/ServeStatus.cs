namespace Hoist.Serve.Control;

/// <summary>What <c>hoist serve --status</c> shows: the server and each worker, as JSON on the control socket.</summary>
/// <param name="HeldUntil">While a reload's hold lasts (its old workers are "held"): when it ends by itself, as a commit.</param>
internal sealed record ServeStatus(
    int Pid,
    string Listen,
    int Generation,
    int Reloads,
    ReloadReport? LastReload,
    long RssBytes,
    IReadOnlyList<WorkerReport> Workers,
    DateTimeOffset? HeldUntil = null);

/// <summary>The last reload's outcome.</summary>
internal sealed record ReloadReport(bool Ok, string Message, DateTimeOffset At);

/// <summary>One worker in the status.</summary>
/// <param name="Failure">Why its slot's last start failed, with the worker's last lines; null once one of it is ready.</param>
internal sealed record WorkerReport(
    int Slot,
    int Pid,
    string State,
    long Requests,
    int InFlight,
    long RssBytes,
    int Restarts,
    bool Errored,
    int Generation,
    string Release,
    string Endpoint,
    string? Failure = null);
