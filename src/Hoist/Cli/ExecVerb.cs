namespace Hoist.Cli;

using System.CommandLine;
using Hoist.Exec;

/// <summary><c>hoist exec -- CMD</c>.</summary>
internal static class ExecVerb
{
    private static readonly Argument<string[]> CommandWords = new("CMD")
    {
        Description = "The command, after `--`: one word is a line for the host's shell (hoist exec -- 'df -h / | tail -1'); " +
            "several words are an argument list, each passed as typed (hoist exec -- cat REVISION)",
        Arity = ArgumentArity.OneOrMore,
    };

    public static Command Build()
    {
        var command = new Command("exec",
            "Run a shell command on hosts in parallel, in the current release's folder (or the home folder before the first deploy), " +
            "with the config's env, as the login user. Output is prefixed by host; the exit code is non-zero when any host failed. " +
            "For a one-off app command (a console, a management command that asks questions), as the app's user with its .env, see hoist run.")
        {
            CommandWords, GlobalOptions.Role, GlobalOptions.Host, GlobalOptions.DryRun,
        };
        command.SetAction(VerbRunner.With((context, parse, cancel) =>
            new Executor(context).RunAsync(
                GlobalOptions.SelectedHosts(context, parse),
                Hoist.Shell.CommandWords.Join(parse.GetValue(CommandWords) ?? []), parse.GetValue(GlobalOptions.DryRun), cancel), announce: false));
        return command;
    }
}
