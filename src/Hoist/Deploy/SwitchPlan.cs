namespace Hoist.Deploy;

/// <summary>What the switch step does on one host: which release goes live, what is pruned or marked bad, what is audited.</summary>
internal sealed record SwitchPlan(string ReleaseId, IReadOnlyList<string> Prune, string? MarkBad, string AuditLine);
