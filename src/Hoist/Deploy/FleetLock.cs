namespace Hoist.Deploy;

using Hoist.Config;
using Hoist.Remote;
using Hoist.Shell;

/// <summary>
/// The deploy lock across several hosts. Two runs that each took the lock on a different host first both fail; so
/// the first host in a fixed order (by key, whatever order hoist.yml lists them in) is the fleet's mutex: its lock is
/// taken alone, before any other host's, and a run that finds it held has taken nothing anywhere.
/// </summary>
internal static class FleetLock
{
    /// <summary>The host whose lock is taken first; every run over the same hosts picks the same one.</summary>
    public static HostConfig Leader(IReadOnlyList<HostConfig> hosts) => hosts.OrderBy(h => h.Key, StringComparer.Ordinal).First();

    /// <summary>A script that only takes the lock.</summary>
    public static Script Take(HoistConfig config, LockInfo info)
    {
        var script = new ScriptBuilder("lock").Line(DeployPaths.AssignRoot(config.DeployTo));
        LockScript.Take(script, info);
        return script.Build();
    }

    /// <summary>
    /// Runs <paramref name="take"/> (a script that takes the lock first) on the leader of <paramref name="hosts"/>
    /// alone, then, only if that succeeded, on the others at once. The caller releases what was taken when any failed.
    /// </summary>
    public static async Task<IReadOnlyList<HostRun>> LeaderFirstAsync(Fleet fleet, IReadOnlyList<HostConfig> hosts, Script take, CancellationToken cancel)
    {
        var leader = Leader(hosts).Key;
        var first = await fleet.RunAsync(h => h.Key == leader ? take : null, null, quiet: true, cancel).ConfigureAwait(false);
        if (!first.All(r => r.Ok) || hosts.Count == 1)
        {
            return first;
        }

        var rest = await fleet.RunAsync(h => h.Key != leader && hosts.Any(x => x.Key == h.Key) ? take : null, null, quiet: true, cancel).ConfigureAwait(false);
        return [.. first, .. rest];
    }
}
