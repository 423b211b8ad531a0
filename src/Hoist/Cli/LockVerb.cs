namespace Hoist.Cli;

using System.CommandLine;
using Hoist.Deploy;

/// <summary><c>hoist lock status|release</c>.</summary>
internal static class LockVerb
{
    private static readonly Option<bool> Force = new("--force", "-f")
    {
        Description = "Release the lock whoever holds it (only when you know that deploy is dead)",
    };

    public static Command Build()
    {
        var status = new Command("status", "Show who holds the deploy lock on each host, since when and why (and on the fleet lock host, hoist.yml's first, which every run locks first).") { GlobalOptions.Role, GlobalOptions.Host };
        status.SetAction(VerbRunner.With((context, parse, cancel) =>
            new LockKeeper(context).StatusAsync(GlobalOptions.AppHosts(context, parse), cancel)));

        var release = new Command("release",
            "Release the deploy lock left by a deploy that died (on the fleet lock host too when the same run held it). Without --force, only a lock taken from this machine by a process that no longer runs is released.")
        {
            GlobalOptions.Role, GlobalOptions.Host, Force,
        };
        release.SetAction(VerbRunner.With((context, parse, cancel) =>
            new LockKeeper(context).ReleaseAsync(GlobalOptions.AppHosts(context, parse), parse.GetValue(Force), cancel)));

        return new Command("lock", "Inspect or release the deploy lock (<deploy_to>/.hoist/lock).") { status, release };
    }
}
