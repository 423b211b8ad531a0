namespace Hoist.Cli;

using System.CommandLine;
using Hoist.Run;

/// <summary><c>hoist run [--host H] [--owner] -- CMD</c>.</summary>
internal static class RunVerb
{
    private static readonly Argument<string[]> CommandWords = new("CMD")
    {
        Description = "The command, after `--`: several words are its argument list, each passed as typed (hoist run -- python3 -c 'print(1)'); " +
            "one word is a line for the host's shell (hoist run -- 'ls | wc -l')",
        Arity = ArgumentArity.OneOrMore,
    };

    private static readonly Option<bool> Owner = new("--owner")
    {
        Description = "DATABASE_URL is the owner role's (MIGRATE_DATABASE_URL of <deploy_to>/.env.migrate, which hoist setup writes " +
            "with setup.database), for schema work; an error if the host has none",
    };

    private static readonly Option<string?> Host = new("--host", "-H")
    {
        Description = "The host, one that gets releases (as written in hoist.yml) [default: the first web host]",
        HelpName = "HOST",
    };

    public static Command Build()
    {
        var command = new Command("run",
            "Run one command on one host, in the current release, as the app's user (setup.user), with the app's environment: " +
            "shared/.env (DATABASE_URL), env: and HOIST_APP, HOIST_RELEASE, HOIST_RELEASE_PATH, HOIST_REVISION, HOIST_DEPLOY_TO " +
            "(and HOIST_RUN, by which a Ctrl-C without a terminal finds and ends what the command started). " +
            "When hoist's stdin and stdout are a terminal the command gets one (a pty, its size kept up to date), so prompts and " +
            "shells work (hoist run -- python3 manage.py createsuperuser; hoist run -- flask shell); otherwise stdin is passed " +
            "through (echo x | hoist run -- cat) and stdout and stderr are kept apart. Hoist's exit code is the command's " +
            "(128 + N when signal N killed it). It logs in as hoist.yml says and becomes the app user with setpriv (as root) " +
            "or sudo -n -u USER; the app user must exist (hoist setup) and a release be live (hoist deploy). " +
            "Secrets travel in a temp file only the app user can read, removed as the command starts, never in a command line. " +
            "For a command on every host at once, as the login user, see hoist exec.")
        {
            CommandWords, Host, Owner, GlobalOptions.DryRun,
        };
        command.SetAction(VerbRunner.With((context, parse, cancel) =>
            new Runner(context).RunAsync(
                RunTarget.Pick(context.Config, parse.GetValue(Host)),
                Hoist.Shell.CommandWords.Join(parse.GetValue(CommandWords) ?? []), parse.GetValue(Owner), parse.GetValue(GlobalOptions.DryRun), cancel)));
        return command;
    }
}
