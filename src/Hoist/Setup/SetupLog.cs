namespace Hoist.Setup;

using Hoist.Config;

/// <summary>What hoist setup changed on each host, for the audit line it leaves there.</summary>
internal sealed class SetupLog
{
    private readonly Dictionary<string, (bool Ok, IReadOnlyList<string> Changed)> hosts = [];
    private readonly List<string> rotated = [];

    /// <summary>One phase's result on a host; a host in several phases (web and db, then the firewall) adds them up.</summary>
    public void Record(HostConfig host, bool ok, IEnumerable<string> changed) =>
        hosts[host.Key] = hosts.TryGetValue(host.Key, out var before) ? (before.Ok && ok, [.. before.Changed, .. changed]) : (ok, changed.ToList());

    /// <summary>Names whose values this run replaces (--rotate-secret, --rotate-db-password): the audit line says which, never the values.</summary>
    public void Rotated(IEnumerable<string> names) => rotated.AddRange(names);

    /// <summary>
    /// <c>TIME WHO setup result=ok changed=2: item; item</c>, as deploy's lines go (the action third), with
    /// <c>rotated=NAME,NAME</c> after the result when values were rotated. A host that setup never reached (an earlier
    /// host failed, or Ctrl-C) says <c>result=not-run</c>.
    /// </summary>
    /// <param name="audit">Makes the line from what and its fields (<see cref="Core.RunContext.AuditLine"/>).</param>
    public string AuditLine(Func<string, string, string> audit, HostConfig host)
    {
        if (!hosts.TryGetValue(host.Key, out var done))
        {
            return audit("setup", "result=not-run changed=0");
        }

        var rotation = rotated.Count == 0 ? "" : $" rotated={string.Join(',', rotated)}";
        var line = audit("setup", $"result={(done.Ok ? "ok" : "failed")}{rotation} changed={done.Changed.Count}");
        return done.Changed.Count == 0 ? line : line + ": " + string.Join("; ", done.Changed);
    }
}
