namespace Hoist.Config;

/// <summary>A named group of hosts (web, db, ...).</summary>
internal sealed record RoleConfig(string Name, IReadOnlyList<HostConfig> Hosts);
