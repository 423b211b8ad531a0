namespace Hoist.Deploy;

using Hoist.Core;
using Hoist.Shell;

/// <summary>The switch's phases as a dry run shows them: switch (with reload and health gate), then commit, or revert.</summary>
internal static class SwitchPhases
{
    /// <summary>The dry run's line on the order hosts switch in (batches, canary) and the lb's drain; when all switch at once, only the lb's restore.</summary>
    public static void PrintOrder(RunContext context, IReadOnlyList<Config.HostConfig> hosts)
    {
        var config = context.Config;
        var groups = BatchPlan.Groups(hosts.Select(h => h.Key).ToList(), config.Deploy.Batch, config.Deploy.Canary);
        var lb = Config.LbRole.Hosts(config);
        if (groups.Count < 2)
        {
            if (lb.Count > 0 && config.Setup is not null)
            {
                context.Reporter.Info($"# then, on {string.Join(", ", lb.Select(h => h.Display))}, every web host in the upstream (lb-restore: nothing changes where all are in)");
            }

            return;
        }

        var names = groups.Select((g, i) => BatchPlan.Name(i, groups.Count, config.Deploy.Canary > 0, g.Select(k => hosts.First(h => h.Key == k).Display)));
        context.Reporter.Info($"# switch order, each healthy before the next: {string.Join(", then ", names)}" +
            (lb.Count == 0 ? "" : $"; on {string.Join(", ", lb.Select(h => h.Display))}, each batch's web hosts are out of the upstream while it switches (lb-drain), then all back in (lb-restore)"));
    }

    public static Script[] Scripts(RunContext context, SwitchPlan example, LockInfo lockInfo, string verb) =>
    [
        ReleaseScripts.Switch(context.Config, example, lockInfo),
        GateScripts.Commit(context.Config, example, lockInfo) with { Name = "commit (once every host is healthy)" },
        GateScripts.Revert(context.Config, example, lockInfo, context.AuditLine($"revert {verb}", $"release={example.ReleaseId} back={example.Previous} reason=<the failure>"))
            with { Name = "revert (on every switched host, when any host fails)" },
    ];
}
