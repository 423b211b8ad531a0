namespace Hoist.Run;

using Hoist.Remote;

/// <summary>
/// hoist run's exit code is its command's: the exit status (0 to 255), or 128 + N for a command killed by signal N,
/// as a shell reports it. SSH names signals without their numbers; these are Linux's.
/// </summary>
internal static class RunExit
{
    /// <summary>A command that ended with neither (its connection closed under it): ssh(1)'s code for a lost session.</summary>
    public const int NoStatus = 255;

    private static readonly Dictionary<string, int> Signals = new(StringComparer.Ordinal)
    {
        ["HUP"] = 1, ["INT"] = 2, ["QUIT"] = 3, ["ILL"] = 4, ["TRAP"] = 5, ["ABRT"] = 6, ["BUS"] = 7, ["FPE"] = 8,
        ["KILL"] = 9, ["USR1"] = 10, ["SEGV"] = 11, ["USR2"] = 12, ["PIPE"] = 13, ["ALRM"] = 14, ["TERM"] = 15,
        ["XCPU"] = 24, ["XFSZ"] = 25,
    };

    public static int Code(RemoteExit exit) =>
        exit.Status is { } status ? status & 0xFF
        : exit.Signal is { } signal ? 128 + (Signals.TryGetValue(signal.StartsWith("SIG", StringComparison.Ordinal) ? signal[3..] : signal, out var n) ? n : 0)
        : NoStatus;
}
