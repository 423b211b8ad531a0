namespace Hoist.Cli;

using System.CommandLine;
using Hoist.Deploy;

/// <summary><c>hoist rollback [RELEASE]</c>.</summary>
internal static class RollbackVerb
{
    private static readonly Argument<string?> Release = new("RELEASE")
    {
        Description = "The release to go back to (see `hoist releases`) [default: the one before the current, skipping bad ones]",
        Arity = ArgumentArity.ZeroOrOne,
    };

    public static Command Build()
    {
        var command = new Command("rollback",
            "Switch `current` back atomically to the previous good release (or RELEASE), mark the abandoned one bad " +
            "so later rollbacks skip it, run reload, and audit; health-gated as a deploy is: if any host fails its reload " +
            "or deploy.health_url, every host is put back where it was. Batches (deploy.batch, deploy.canary, --batch) and the " +
            "lb hosts' drain apply as in a deploy. " + SwitchSignals.Help("rollback"))
        {
            Release, GlobalOptions.Role, GlobalOptions.Host, GlobalOptions.DryRun, GlobalOptions.Batch,
        };
        command.SetAction(VerbRunner.With((context, parse, cancel) =>
            new Rollbacker(GlobalOptions.WithBatch(context, parse)).RollbackAsync(
                GlobalOptions.AppHosts(context, parse),
                parse.GetValue(Release), parse.GetValue(GlobalOptions.DryRun), cancel)));
        return command;
    }
}
