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
    /// <param name="audit">Makes the line from what and its fields (<see cref="Core.RunContext.AuditLine"/>).</param>
    public string AuditLine(Func<string, string, string> audit, HostConfig host)
    {
        if (!hosts.TryGetValue(host.Key, out var done))
        {
            return audit("setup", "result=not-run changed=0");
        }

        var line = audit("setup", $"result={(done.Ok ? "ok" : "failed")} changed={done.Changed.Count}");
        return done.Changed.Count == 0 ? line : line + ": " + string.Join("; ", done.Changed);
    }
}
