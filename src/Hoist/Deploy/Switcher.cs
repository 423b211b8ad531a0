namespace Hoist.Deploy;

using Hoist.Config;
using Hoist.Remote;
using Hoist.Shell;

/// <summary>
/// Runs the switch on every host with a plan; where it failed before the rename, releases this run's lock there. A host
/// in the fleet only for <see cref="FleetLock"/>'s lock has no plan: its lock is released after every switch ended.
/// </summary>
internal static class Switcher
{
    public static async Task<IReadOnlyList<HostRun>> RunAsync(Fleet fleet, HoistConfig config, IReadOnlyDictionary<string, SwitchPlan> plans, LockInfo lockInfo)
    {
        // Not cancellable: once hosts begin switching, every one of them finishes its (short) switch.
        var switched = await fleet.RunAsync(
            h => plans.TryGetValue(h.Key, out var plan) ? ReleaseScripts.Switch(config, plan, lockInfo) : null, null, quiet: false, CancellationToken.None).ConfigureAwait(false);
        var unlock = switched.Where(r => !IsLive(r)).Select(r => r.Host.Key).Concat(fleet.Hosts.Where(h => !plans.ContainsKey(h.Key)).Select(h => h.Key)).ToHashSet();
        if (unlock.Count > 0)
        {
            await fleet.RunAsync(h => unlock.Contains(h.Key) ? ReleaseScripts.Unlock(config, lockInfo) : null, null, quiet: true, CancellationToken.None).ConfigureAwait(false);
        }

        return switched;
    }

    /// <summary>True when the host renamed <c>current</c> (later steps may still have failed).</summary>
    public static bool IsLive(HostRun run) => run.Value("switched") is not null;

    /// <summary>
    /// For a host that went silent during its switch: only its <c>switched</c> marker proves that <c>current</c> moved;
    /// without it, the rename may have happened just before the host froze, so it is unknown, never "unchanged".
    /// </summary>
    public static string DescribeLost(HostRun run, string release, string verb) =>
        $"{run.Lost}, during '{run.LastStep ?? "switch"}'; " +
        (IsLive(run) ? $"current there had moved to release {release}" : $"whether current there moved to release {release} is unknown") +
        $"; its deploy lock may be left there: once it answers, run `hoist lock release --force --host {run.Host.Display}` (it also stops " +
        $"what this {verb} left running there) and `hoist releases --host {run.Host.Display}` to see which release is live, then run `hoist {verb}` again";
}
