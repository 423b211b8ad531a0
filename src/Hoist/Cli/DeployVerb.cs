namespace Hoist.Cli;

using System.CommandLine;
using Hoist.Deploy;
using Hoist.Output;

/// <summary><c>hoist deploy</c>.</summary>
internal static class DeployVerb
{
    private static readonly Option<string?> Message = new("--message", "-m")
    {
        Description = "Why you deploy, on one line (a control character is refused): kept in the lock (shown to anyone blocked by it) and in the audit log",
    };

    private static readonly Option<bool> SkipMigrate = new("--skip-migrate")
    {
        Description = "Do not run migrate: (the audit line says migrate=skipped); only when the schema already suits the new release",
    };

    public static Command Build()
    {
        var command = new Command("deploy",
            "Deploy a new release to every host: lock, fetch the code (each host's git mirror + archive; with fetch: local, this machine's git " +
            "fetches it and sends the commit's archive, so hosts need no repository access; or upload), link shared " +
            "entries, run build, then, only when every host has built, switch `current` atomically, reload and ask " +
            "deploy.health_url; only when every host is healthy, prune old releases, audit and unlock. A failure before " +
            "the switch leaves `current` untouched everywhere; a host failing its reload or health check puts every " +
            "switched host back on its previous release (the failed one marked bad). An upload sends " +
            "files, folders and links: FIFOs, sockets and devices are skipped, setuid/setgid/sticky bits removed and " +
            "links leaving the folder flagged, each named; --dry-run counts what it would send without packing it. " +
            "hooks: run at before_deploy, after_build, before_switch (a failure there stops the deploy, nothing switched), " +
            "after_switch, after_deploy (a failure is reported, exit 1, nothing changed back) and on_failure; --dry-run lists them. " +
            "With migrate:, once every host has built, the migration runs on one host (migrate_on, default the first web " +
            "host) in the new release, as the SSH user, with the owner role's DATABASE_URL; a failing one switches nothing. " +
            "With deploy.batch (or --batch) hosts switch a batch at a time, each healthy before the next (deploy.canary: 1 " +
            "sends one host alone first); lb hosts take each batch's web hosts out of their upstream while it switches; a " +
            "failure in any batch puts every switched host back and every web host back in the upstream. " + SwitchSignals.Help("deploy"))
        {
            GlobalOptions.Role, GlobalOptions.Host, GlobalOptions.DryRun, GlobalOptions.Batch, Message, SkipMigrate,
        };
        command.SetAction(VerbRunner.With((context, parse, cancel) =>
        {
            context = GlobalOptions.WithBatch(context, parse);
            var hosts = GlobalOptions.AppHosts(context, parse);
            var skip = parse.GetValue(SkipMigrate);
            Migrator.Require(context.Config, hosts, skip);
            return new Deployer(context) { SkipMigrate = skip }.DeployAsync(
                hosts, parse.GetValue(GlobalOptions.DryRun), CheckedMessage(parse.GetValue(Message)), cancel);
        }));
        return command;
    }

    /// <summary>
    /// The message goes into the lock (shown to whoever it blocks) and into one line of the audit log: a line break
    /// would forge a second entry, an escape sequence would reach the next person's terminal.
    /// </summary>
    private static string? CheckedMessage(string? message)
    {
        var at = message?.ToList().FindIndex(char.IsControl) ?? -1;
        return at < 0
            ? message
            : throw Core.HoistException.Usage(
                $"-m/--message holds a control character ({TerminalText.Visible(message![at].ToString(), oneLine: true)} at character {at + 1}); " +
                "the message is one line of the audit log and of the lock: write it on one line, without escape sequences");
    }
}
