namespace Hoist.Deploy;

/// <summary>
/// What the switch does on one host: which release goes live, what is pruned or marked bad once the fleet commits,
/// what is audited, and where <c>current</c> pointed before (what a revert goes back to; null on a first deploy).
/// </summary>
internal sealed record SwitchPlan(string ReleaseId, IReadOnlyList<string> Prune, string? MarkBad, string AuditLine, string? Previous = null);
