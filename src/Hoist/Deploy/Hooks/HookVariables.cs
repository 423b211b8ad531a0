namespace Hoist.Deploy.Hooks;

/// <summary>The <c>HOIST_*</c> variables a hook is given, in its environment (never its argv).</summary>
internal sealed record HookVariables(string App, string Release, string Revision, string Hosts, string Who, string Message, string Phase)
{
    /// <summary>Only for on_failure: the first error, as hoist prints it (secrets redacted).</summary>
    public string? Error { get; init; }

    public IReadOnlyList<(string Name, string Value)> Pairs() =>
    [
        ("HOIST_APP", App),
        ("HOIST_RELEASE", Release),
        ("HOIST_REVISION", Revision),
        ("HOIST_HOSTS", Hosts),
        ("HOIST_WHO", Who),
        ("HOIST_MESSAGE", Message),
        ("HOIST_PHASE", Phase),
        .. Error is null ? Array.Empty<(string, string)>() : [("HOIST_ERROR", Error)],
    ];
}
