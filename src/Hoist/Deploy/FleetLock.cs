namespace Hoist.Deploy;

using Hoist.Config;
using Hoist.Remote;
using Hoist.Shell;

/// <summary>
/// The deploy lock across several hosts. Two runs that each took the lock on a different host first both fail; so
/// one host of hoist.yml is the fleet's mutex: the first by key of *all* its hosts that get releases, whatever a run
/// selected (<c>--role</c>, <c>--host</c>, setup's web hosts) and whatever order hoist.yml lists them in. Its lock is
/// taken alone, before any other host's, and a run that finds it held has taken nothing anywhere. A run that does not
/// otherwise work on that host takes only its lock there, and releases it last.
/// </summary>
internal static class FleetLock
{
    /// <summary>The host whose lock every run of <paramref name="config"/> takes first.</summary>
    public static HostConfig Leader(HoistConfig config)
    {
        var releaseHosts = config.AllHosts.Where(config.GetsReleases).ToList();
        return Leader(releaseHosts.Count > 0 ? releaseHosts : config.AllHosts);
    }

    /// <summary>The first of <paramref name="hosts"/> in a fixed order (by key, ordinal).</summary>
    public static HostConfig Leader(IReadOnlyList<HostConfig> hosts) => hosts.OrderBy(h => h.Key, StringComparer.Ordinal).First();

    /// <summary>The hosts a locking run connects to: <paramref name="hosts"/>, and the leader when it is not among them.</summary>
    public static IReadOnlyList<HostConfig> WithLeader(HoistConfig config, IReadOnlyList<HostConfig> hosts)
    {
        var leader = Leader(config);
        return hosts.Any(h => h.Key == leader.Key) ? hosts : [.. hosts, leader];
    }

    /// <summary>True when <paramref name="host"/> is in the fleet only for the leader's lock.</summary>
    public static bool IsLockOnly(HostConfig host, IReadOnlyList<HostConfig> hosts) => !hosts.Any(h => h.Key == host.Key);

    /// <summary>A script that only takes the lock.</summary>
    public static Script Take(HoistConfig config, LockInfo info)
    {
        var script = new ScriptBuilder("lock").Line(DeployPaths.AssignRoot(config.DeployTo));
        LockScript.Take(script, info);
        return script.Build();
    }

    /// <summary>
    /// Runs <paramref name="take"/> (a script that takes the lock first) on the leader alone (or
    /// <paramref name="takeOnly"/> there when it is not one of <paramref name="hosts"/>), then, only if that succeeded,
    /// <paramref name="take"/> on the others at once. The caller releases what was taken when any failed.
    /// </summary>
    public static async Task<IReadOnlyList<HostRun>> LeaderFirstAsync(
        Fleet fleet, HoistConfig config, IReadOnlyList<HostConfig> hosts, Script take, Script takeOnly, CancellationToken cancel)
    {
        var leader = Leader(config).Key;
        var lockOnly = !hosts.Any(h => h.Key == leader);
        var first = await fleet.RunAsync(h => h.Key != leader ? null : lockOnly ? takeOnly : take, null, quiet: true, cancel).ConfigureAwait(false);
        var rest = hosts.Where(h => h.Key != leader).Select(h => h.Key).ToHashSet();
        if (!first.All(r => r.Ok) || rest.Count == 0)
        {
            return first;
        }

        var others = await fleet.RunAsync(h => rest.Contains(h.Key) ? take : null, null, quiet: true, cancel).ConfigureAwait(false);
        return [.. first, .. others];
    }
}
