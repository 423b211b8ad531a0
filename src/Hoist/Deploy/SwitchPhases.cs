namespace Hoist.Deploy;

using Hoist.Core;
using Hoist.Shell;

/// <summary>The switch's phases as a dry run shows them: switch (with reload and health gate), then commit, or revert.</summary>
internal static class SwitchPhases
{
    public static Script[] Scripts(RunContext context, SwitchPlan example, LockInfo lockInfo, string verb) =>
    [
        ReleaseScripts.Switch(context.Config, example, lockInfo),
        GateScripts.Commit(context.Config, example, lockInfo) with { Name = "commit (once every host is healthy)" },
        GateScripts.Revert(context.Config, example, lockInfo, $"{context.Now} {RunContext.Who} revert {verb} release={example.ReleaseId} back={example.Previous} reason=<the failure>")
            with { Name = "revert (on every switched host, when any host fails)" },
    ];
}
