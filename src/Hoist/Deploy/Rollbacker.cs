namespace Hoist.Deploy;

using Hoist.Config;
using Hoist.Core;
using Hoist.Remote;
using Hoist.Shell;

/// <summary>
/// Switches hosts back to an earlier complete release and marks the abandoned one bad. The lock is taken as a deploy
/// takes it: on hoist.yml's first host alone (selected or not), then on the others.
/// </summary>
internal sealed class Rollbacker(RunContext context)
{
    public Task<int> RollbackAsync(IReadOnlyList<HostConfig> hosts, string? target, bool dryRun, CancellationToken cancel)
    {
        var lockInfo = LockInfo.For("rollback" + (target is null ? "" : " to " + target), context.Clock.GetUtcNow());
        var hooks = new Hooks.DeployHooks(context, null, lockInfo);
        return hooks.GuardAsync(hosts, cancel, () => RollbackAsync(hosts, target, dryRun, lockInfo, hooks, cancel));
    }

    private async Task<int> RollbackAsync(IReadOnlyList<HostConfig> hosts, string? target, bool dryRun, LockInfo lockInfo, Hooks.DeployHooks hooks, CancellationToken cancel)
    {
        var config = context.Config;
        // The host's .env values are learnt here, before the switch's reload can echo one.
        var inspect = StateScript.Report(LockedScript(config, lockInfo)).Build();
        if (dryRun)
        {
            Hooks.DeployHooks.Print(context, HookPhase.AfterRollback, HookPhase.OnFailure);
            var example = new SwitchPlan(target ?? "<previous good release>", [], "<current release>", Audit(target ?? "<previous>", "<current>"), "<current release>");
            SwitchPhases.PrintOrder(context, hosts);
            return DryRun.Print(context, hosts, [inspect, .. SwitchPhases.Scripts(context, example, lockInfo, "rollback")]);
        }

        await using var op = await HostOperation.OpenAsync(context, "rollback", hosts, lockInfo,
            $"on {string.Join(", ", FleetLock.WithLeader(config, hosts).Select(h => h.Display))}: the deploy lock ({config.DeployTo}/.hoist/lock); " +
            "once the hosts answer, run `hoist lock release --force` and check `hoist releases`",
            _ => ReleaseScripts.Unlock(config, lockInfo), cancel).ConfigureAwait(false);
        // hoist.yml's first host alone first (FleetLock), selected or not: of two racing rollbacks or deploys, one gets through.
        var states = await op.TakeEverywhereAsync(inspect, "nothing was switched", cancel).ConfigureAwait(false);
        var problems = new List<string>();
        var plans = new Dictionary<string, SwitchPlan>();
        foreach (var run in states)
        {
            var state = HostState.Read(run);
            var chosen = Choose(state, target, out var why);
            if (chosen is null)
            {
                problems.Add($"{run.Host.Display}: {why}");
                continue;
            }

            var abandoned = state.Current == chosen.Id ? null : state.Current;
            plans[run.Host.Key] = new SwitchPlan(chosen.Id, [], abandoned, Audit(chosen.Id, state.Current ?? "-"), state.Current);
        }

        if (problems.Count > 0)
        {
            await op.CleanupAsync().ConfigureAwait(false);
            throw new HoistException(string.Join('\n', problems) + "\nnothing was switched");
        }

        hooks.Learn(plans);
        var outcome = await Switcher.RunAsync(context, op.Fleet, plans, lockInfo, "rollback", cancel).ConfigureAwait(false);
        var exit = SwitchSummary.Finish(context, outcome, plans, "rollback", run =>
            $"rolled back to {plans[run.Host.Key].ReleaseId}" + (plans[run.Host.Key].MarkBad is { } bad ? $"; {bad} is marked bad" : ""));
        return await hooks.FinishAsync(HookPhase.AfterRollback, op.Fleet, exit, cancel).ConfigureAwait(false);
    }

    private static ReleaseInfo? Choose(HostState state, string? target, out string why)
    {
        why = "";
        if (target is not null)
        {
            var named = state.Releases.FirstOrDefault(r => r.Id == target);
            why = named is null
                ? $"no complete release '{target}'; `hoist releases` lists them ({string.Join(", ", state.Releases.Select(r => r.Id))})"
                : "";
            return named;
        }

        var previous = state.PreviousGood();
        if (previous is null)
        {
            why = state.Current is null
                ? "nothing is deployed here yet"
                : $"no good release before {state.Current} to roll back to";
        }

        return previous;
    }

    private string Audit(string release, string from) => context.AuditLine("rollback", $"release={release} from={from}");

    private static ScriptBuilder LockedScript(HoistConfig config, LockInfo lockInfo)
    {
        var script = new ScriptBuilder("lock and read releases").Line(DeployPaths.AssignRoot(config.DeployTo));
        // Before the lock: its holder's text may hold one of the host's values.
        HostSecrets.Report(script, config);
        LockScript.Take(script, lockInfo);
        return script;
    }
}
