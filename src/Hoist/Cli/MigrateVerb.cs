namespace Hoist.Cli;

using System.CommandLine;
using Hoist.Deploy;

/// <summary><c>hoist migrate</c>.</summary>
internal static class MigrateVerb
{
    public static Command Build()
    {
        var command = new Command("migrate",
            "Run migrate: alone, on its one host (migrate_on, default the first web host), in the release `current` points " +
            "at, as the SSH user, with the owner role's URL as DATABASE_URL (from <deploy_to>/.env.migrate, which hoist setup " +
            "writes; else the app's shared/.env). Takes the deploy lock, so no deploy switches meanwhile, and appends " +
            "`migrate release=ID result=ok|failed` to that host's audit log. `hoist deploy` runs it itself, before its switch.")
        {
            GlobalOptions.DryRun,
        };
        command.SetAction(VerbRunner.With((context, parse, cancel) =>
            new MigrateRunner(context).RunAsync(parse.GetValue(GlobalOptions.DryRun), cancel)));
        return command;
    }
}
