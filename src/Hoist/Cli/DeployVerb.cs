namespace Hoist.Cli;

using System.CommandLine;
using Hoist.Deploy;

/// <summary><c>hoist deploy</c>.</summary>
internal static class DeployVerb
{
    private static readonly Option<string?> Message = new("--message", "-m")
    {
        Description = "Why you deploy: kept in the lock (shown to anyone blocked by it) and in the audit log",
    };

    public static Command Build()
    {
        var command = new Command("deploy",
            "Deploy a new release to every host: lock, fetch the code (git mirror + archive, or upload), link shared " +
            "entries, run build, then, only when every host has built, switch `current` atomically, reload, prune old " +
            "releases and unlock. A failure before the switch leaves `current` untouched everywhere. An upload sends " +
            "files, folders and links: FIFOs, sockets and devices are skipped, setuid/setgid/sticky bits removed and " +
            "links leaving the folder flagged, each named; --dry-run counts what it would send without packing it.")
        {
            GlobalOptions.Role, GlobalOptions.Host, GlobalOptions.DryRun, Message,
        };
        command.SetAction(VerbRunner.With((context, parse, cancel) =>
            new Deployer(context).DeployAsync(
                GlobalOptions.AppHosts(context, parse),
                parse.GetValue(GlobalOptions.DryRun), parse.GetValue(Message), cancel)));
        return command;
    }
}
