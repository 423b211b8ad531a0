namespace Hoist.Cli;

using Hoist.Serve.Control;

/// <summary>hoist serve's options checked before anything is asked of a server (usage errors, exit 2).</summary>
internal static class ServeOptionCheck
{
    /// <summary>The first problem with the options given, or null.</summary>
    /// <param name="actions">The actions given, as spelt on the command line (--reload, --commit, ...), in the verb's order.</param>
    /// <param name="hold">--hold's SECONDS, when given.</param>
    public static string? Problem(IReadOnlyList<string> actions, int? hold)
    {
        // Each asks the server something else, and doing only one of two would leave the other undone unseen:
        // a --revert --commit that committed would throw away the old workers the operator meant to get back.
        if (actions.Count > 1)
        {
            return $"{actions[0]} and {actions[1]} cannot go together: hoist serve does one of --reload, --commit, --revert, --stop, --status, --daemon at a time; " +
                "run them one after the other";
        }

        if (hold is not { } seconds)
        {
            return null;
        }

        if (actions is not ["--reload" or "--daemon"])
        {
            return "--hold SECONDS goes with --reload or --daemon (e.g. --reload --hold 120)";
        }

        return ControlCommand.Fits(seconds) ? null : $"--hold {seconds}: {ControlCommand.HoldRange} (e.g. --reload --hold 120)";
    }
}
