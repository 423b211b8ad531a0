namespace Hoist.Setup;

using Hoist.Config;

/// <summary>What hoist setup changed on each host, for the audit line it leaves there.</summary>
internal sealed class SetupLog
{
    private readonly Dictionary<string, (bool Ok, IReadOnlyList<string> Changed)> hosts = [];

    public void Record(HostConfig host, bool ok, IEnumerable<string> changed) => hosts[host.Key] = (ok, changed.ToList());

    /// <summary>
    /// <c>TIME WHO setup result=ok changed=2: item; item</c>, as deploy's lines go (the action third). A host that setup
    /// never reached (an earlier host failed, or Ctrl-C) says <c>result=not-run</c>.
    /// </summary>
    public string AuditLine(string now, string who, HostConfig host)
    {
        if (!hosts.TryGetValue(host.Key, out var done))
        {
            return $"{now} {who} setup result=not-run changed=0";
        }

        var line = $"{now} {who} setup result={(done.Ok ? "ok" : "failed")} changed={done.Changed.Count}";
        return done.Changed.Count == 0 ? line : line + ": " + string.Join("; ", done.Changed);
    }
}
