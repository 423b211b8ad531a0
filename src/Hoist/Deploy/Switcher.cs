namespace Hoist.Deploy;

using Hoist.Core;
using Hoist.Remote;

/// <summary>
/// The fleet-atomic switch: host groups switch one after another (<see cref="BatchPlan"/>: one group of every host, or
/// deploy.batch's batches after a canary), each host switching, reloading and passing its health gate with the lock
/// still held; with lb hosts, a batch's web hosts are out of their upstream while it switches (<see cref="LbBatches"/>).
/// Only when every host is healthy does every host commit; when any fails, every host this run switched goes back at
/// once, and then every web host back into the upstream. Every run with lb hosts ends with every web host in the
/// upstream, also one that drained nothing.
/// A host in the fleet only for <see cref="FleetLock"/>'s lock has no plan: its lock is released at the end.
/// A first Ctrl-C or SIGTERM (<paramref name="interrupt"/>) lets the switches in flight finish, then reverts as a failure would.
/// </summary>
internal static class Switcher
{
    private const string LeftoversKey = "switch";

    public static async Task<SwitchOutcome> RunAsync(
        RunContext context, Fleet fleet, IReadOnlyDictionary<string, SwitchPlan> plans, LockInfo lockInfo, string verb, CancellationToken interrupt)
    {
        var groups = BatchPlan.Groups(plans.Keys.ToList(), context.Config.Deploy.Batch, context.Config.Deploy.Canary);
        var switched = new List<HostRun>();
        context.Leftovers.Note(LeftoversKey, Leftover(plans, verb));
        using var said = interrupt.Register(() => context.Reporter.Warn(
            $"interrupted during the {verb}'s switch: the switches in flight finish, then every switched host goes back to where it was"));
        try
        {
            await using var lb = await ConnectLbAsync(context, fleet, plans, lockInfo, groups).ConfigureAwait(false);
            return await RunGroupsAsync(context, fleet, plans, lockInfo, verb, groups, switched, lb, interrupt).ConfigureAwait(false);
        }
        finally
        {
            context.Leftovers.Clear(LeftoversKey);
        }
    }

    /// <summary>
    /// What a run killed between its switch and its commit or revert leaves (a second Ctrl-C): <c>current</c> may
    /// already point at a release no health check passed, on some hosts and not others; and how to put them back.
    /// </summary>
    private static string Leftover(IReadOnlyDictionary<string, SwitchPlan> plans, string verb)
    {
        var release = plans.Values.Select(p => p.ReleaseId).Distinct().Count() == 1 ? plans.Values.First().ReleaseId : "this run's release";
        var previous = plans.Values.Select(p => p.Previous).Distinct().ToList();
        var back = previous is [{ } one]
            ? $"`hoist rollback {one}` puts every host back"
            : "`hoist releases` shows each host's current, and `hoist rollback <the release it had> --host H` puts a host back";
        return $"on some of {string.Join(", ", plans.Keys)}: current may already point at release {release}, switched but not yet health-checked " +
            $"nor committed, and the deploy lock is held; once the hosts answer, run `hoist lock release --force`, then {back} (or run `hoist {verb}` again)";
    }

    /// <summary>The lb hosts' connections for the drain (null when none is needed); if they cannot be reached, nothing switches.</summary>
    private static async Task<LbBatches?> ConnectLbAsync(
        RunContext context, Fleet fleet, IReadOnlyDictionary<string, SwitchPlan> plans, LockInfo lockInfo, IReadOnlyList<IReadOnlyList<string>> groups)
    {
        try
        {
            return await LbBatches.ConnectAsync(context, groups).ConfigureAwait(false);
        }
        catch (HoistException)
        {
            await fleet.RunAsync(h => plans.ContainsKey(h.Key) ? ReleaseScripts.Abort(context.Config, lockInfo) : ReleaseScripts.Unlock(context.Config, lockInfo),
                null, quiet: true, CancellationToken.None).ConfigureAwait(false);
            context.Reporter.Warn("the lb hosts, whose upstream each batch leaves while it switches, cannot be reached: nothing was switched on any host");
            throw;
        }
    }

    private static async Task<SwitchOutcome> RunGroupsAsync(
        RunContext context, Fleet fleet, IReadOnlyDictionary<string, SwitchPlan> plans, LockInfo lockInfo, string verb,
        IReadOnlyList<IReadOnlyList<string>> groups, List<HostRun> switched, LbBatches? lb, CancellationToken interrupt)
    {
        var config = context.Config;
        for (var i = 0; i < groups.Count; i++)
        {
            if (interrupt.IsCancellationRequested)
            {
                return await RevertAsync(context, fleet, plans, lockInfo, verb, switched, [], lb, interrupted: true).ConfigureAwait(false);
            }

            var group = groups[i];
            if (groups.Count > 1)
            {
                context.Reporter.Info($"{verb}: {BatchPlan.Name(i, groups.Count, config.Deploy.Canary > 0, group.Select(k => fleet.Hosts.First(h => h.Key == k).Display))}");
            }

            var drainFailed = lb is null ? [] : await lb.OutAsync(group).ConfigureAwait(false);
            if (drainFailed.Count > 0 || interrupt.IsCancellationRequested)
            {
                return await RevertAsync(context, fleet, plans, lockInfo, verb, switched, drainFailed, lb, interrupt.IsCancellationRequested).ConfigureAwait(false);
            }

            // Not cancellable: once hosts begin switching, every one of them finishes its (short) switch and gate.
            var runs = await fleet.RunAsync(
                h => group.Contains(h.Key) ? ReleaseScripts.Switch(config, plans[h.Key], lockInfo, batches: groups.Count - i) : null, null, quiet: false, CancellationToken.None).ConfigureAwait(false);
            switched.AddRange(runs);
            var failed = runs.Where(r => !r.Ok).Select(r => (r, SwitchFailure.Why(r, config))).ToList();
            if (failed.Count > 0 || interrupt.IsCancellationRequested)
            {
                return await RevertAsync(context, fleet, plans, lockInfo, verb, switched, failed, lb, interrupt.IsCancellationRequested).ConfigureAwait(false);
            }
        }

        // Every run ends with every web host in the upstream, also one that drained nothing (an earlier run killed mid-batch
        // may have left one out). Only a run that took hosts out fails over not putting them back: its own batch would
        // stay out. One that took none out reverts nothing over it: the release is healthy everywhere and the lb's state
        // is an earlier run's; the run still exits 1 (Unfinished) so that the operator hears a web host may be out.
        var backFailed = lb is null ? [] : await lb.BackAsync().ConfigureAwait(false);
        var ownBackFailed = lb is { TookOut: true } ? backFailed : [];
        if (ownBackFailed.Count > 0 || interrupt.IsCancellationRequested)
        {
            return await RevertAsync(context, fleet, plans, lockInfo, verb, switched, ownBackFailed, lb, interrupt.IsCancellationRequested).ConfigureAwait(false);
        }

        // Past this point the fleet is healthy and the commit is short: a signal now no longer undoes the run.
        var committed = await fleet.RunAsync(
            h => plans.TryGetValue(h.Key, out var plan) ? GateScripts.Commit(config, plan, lockInfo) : ReleaseScripts.Unlock(config, lockInfo),
            null, quiet: false, CancellationToken.None).ConfigureAwait(false);
        return new SwitchOutcome(switched, [], committed.Where(r => plans.ContainsKey(r.Host.Key)).ToList(), null)
        {
            LbUnfinished = lb is null ? [] : lb.Unfinished(backFailed),
        };
    }

    /// <summary>True when the host renamed <c>current</c> (later steps may still have failed).</summary>
    public static bool IsLive(HostRun run) => SwitchReport.Read(run).Switched;

    /// <summary>
    /// For a host that went silent during its switch: only its <c>switched</c> marker proves that <c>current</c> moved;
    /// without it, the rename may have happened just before the host froze, so it is unknown, never "unchanged".
    /// </summary>
    public static string DescribeLost(HostRun run, string release, string verb) =>
        $"{run.Lost}, during '{run.LastStep ?? "switch"}'; " +
        (IsLive(run) ? $"current there had moved to release {release}" : $"whether current there moved to release {release} is unknown") +
        $"; its deploy lock may be left there: once it answers, run `hoist lock release --force --host {run.Host.Display}` (it also stops " +
        $"what this {verb} left running there) and `hoist releases --host {run.Host.Display}` to see which release is live, then run `hoist {verb}` again";

    /// <summary>
    /// Every host but a lost one goes back at once, in parallel: switched ones revert, the ones of groups not reached
    /// drop this run's release and lock (<see cref="ReleaseScripts.Abort"/>), lock-only ones unlock. Then, with the
    /// failed batch no longer on the new release, every web host goes back into the lb's upstream.
    /// </summary>
    private static async Task<SwitchOutcome> RevertAsync(
        RunContext context, Fleet fleet, IReadOnlyDictionary<string, SwitchPlan> plans, LockInfo lockInfo, string verb,
        List<HostRun> switched, List<(HostRun Run, string Why)> failed, LbBatches? lb, bool interrupted = false)
    {
        var config = context.Config;
        var started = context.Clock.GetTimestamp();
        var reason = SwitchFailure.Reason(failed, interrupted);
        context.Reporter.Warn($"{(failed.Count > 0 ? $"the {verb} failed" : $"the {verb} was stopped")} ({reason}): putting every host back");
        var ran = switched.ToDictionary(r => r.Host.Key);
        var reverted = await fleet.RunAsync(
            h => ran.TryGetValue(h.Key, out var run) ? run.Lost is not null ? null
                : GateScripts.Revert(config, plans[h.Key], lockInfo, context.AuditLine($"revert {verb}", $"release={plans[h.Key].ReleaseId} back={plans[h.Key].Previous ?? "-"} reason={reason}"),
                    reload: !SwitchReport.Read(run).ReloadFailed || config.Reload is not null, markBad: failed.Count > 0)
                : plans.ContainsKey(h.Key) ? ReleaseScripts.Abort(config, lockInfo) : ReleaseScripts.Unlock(config, lockInfo),
            null, quiet: false, CancellationToken.None).ConfigureAwait(false);
        var took = context.Clock.GetElapsedTime(started);
        foreach (var (run, why) in lb is null ? [] : await lb.BackAsync().ConfigureAwait(false))
        {
            context.Reporter.Warn($"{run.Host.Display}: {why}\nsome web hosts may still be out of its upstream: `hoist setup --role lb` puts every one back in");
        }

        return new SwitchOutcome(switched, failed, reverted.Where(r => ran.ContainsKey(r.Host.Key)).ToList(), took) { Interrupted = interrupted };
    }
}
