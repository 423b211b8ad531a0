namespace Hoist.Cli;

using Hoist.Serve.Control;

/// <summary>hoist serve's options checked before anything is asked of a server (usage errors, exit 2).</summary>
internal static class ServeOptionCheck
{
    /// <summary>The first problem with the options given, or null.</summary>
    /// <param name="hold">--hold's SECONDS, when given.</param>
    /// <param name="holdCarrier">Whether --reload or --daemon was given (the options a hold goes with).</param>
    public static string? Problem(int? hold, bool holdCarrier)
    {
        if (hold is not { } seconds)
        {
            return null;
        }

        if (!holdCarrier)
        {
            return "--hold SECONDS goes with --reload or --daemon (e.g. --reload --hold 120)";
        }

        return ControlCommand.Fits(seconds) ? null : $"--hold {seconds}: {ControlCommand.HoldRange} (e.g. --reload --hold 120)";
    }
}
