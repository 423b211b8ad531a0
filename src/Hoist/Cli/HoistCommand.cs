namespace Hoist.Cli;

using System.CommandLine;
using Hoist.Core;

/// <summary>The command tree: <c>hoist VERB [options]</c>.</summary>
internal static class HoistCommand
{
    public static RootCommand Build()
    {
        var root = new RootCommand(
            "Hoist takes a web app from its git repository (or a local build) to one or many Linux servers over SSH, " +
            "as releases that switch atomically and roll back in one command.\n\n" +
            "Reads hoist.yml from the current folder (or -c FILE), with -d NAME hoist.NAME.yml merged over it; see examples/hoist.example.yml for every key.\n\n" +
            $"Exit codes: {ExitCodes.Ok} done; {ExitCodes.Failure} failed; {ExitCodes.Usage} usage or config error (fix the command or hoist.yml); " +
            $"{ExitCodes.LockHeld} the deploy lock is held by another run, nothing was changed (try again later); {ExitCodes.Interrupted} interrupted.")
        {
            GlobalOptions.Config,
            GlobalOptions.Destination,
            GlobalOptions.Verbose,
        };
        root.Subcommands.Add(InitVerb.Build());
        root.Subcommands.Add(SetupVerb.Build());
        root.Subcommands.Add(DeployVerb.Build());
        root.Subcommands.Add(RollbackVerb.Build());
        root.Subcommands.Add(MigrateVerb.Build());
        root.Subcommands.Add(ReleasesVerb.Build());
        root.Subcommands.Add(StatusVerb.Build());
        root.Subcommands.Add(LogsVerb.Build());
        root.Subcommands.Add(ExecVerb.Build());
        root.Subcommands.Add(RunVerb.Build());
        root.Subcommands.Add(CheckVerb.Build());
        root.Subcommands.Add(LockVerb.Build());
        root.Subcommands.Add(ServeVerb.Build());
        AddParallel(root);
        return root;
    }

    /// <summary>--parallel, on every verb that works on hosts: those that take --host.</summary>
    private static void AddParallel(Command command)
    {
        if (command.Options.Contains(GlobalOptions.Host))
        {
            command.Options.Add(GlobalOptions.Parallel);
        }

        foreach (var sub in command.Subcommands)
        {
            AddParallel(sub);
        }
    }
}
