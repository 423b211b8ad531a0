namespace Hoist.Core;

/// <summary>A failure to explain to the user in one message: what went wrong, where, and what to do.</summary>
internal sealed class HoistException(string message, int exitCode = ExitCodes.Failure) : Exception(message)
{
    public int ExitCode { get; } = exitCode;

    /// <summary>Bad arguments or config: the user must change the command or hoist.yml.</summary>
    public static HoistException Usage(string message) => new(message, ExitCodes.Usage);

    /// <summary>Another run holds the deploy lock; the same command can simply be run again later.</summary>
    public static HoistException LockHeld(string message) => new(message, ExitCodes.LockHeld);
}
