namespace Hoist.Core;

/// <summary>A failure to explain to the user in one message: what went wrong, where, and what to do.</summary>
internal sealed class HoistException(string message, int exitCode = 1) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
