namespace Hoist.Core;

/// <summary>
/// What hoist's exit status tells a script: whether to fix something or simply try again. The README's "Exit codes"
/// table and <c>hoist --help</c> list the same values.
/// </summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Something failed on a host or here (a build, a switch, a connection).</summary>
    public const int Failure = 1;

    /// <summary>Bad arguments or an invalid hoist.yml: running it again unchanged fails the same way.</summary>
    public const int Usage = 2;

    /// <summary>Another run holds the deploy lock (EX_TEMPFAIL, the code the hosts' lock script exits with): retry later.</summary>
    public const int LockHeld = 75;

    /// <summary>Stopped by SIGINT or SIGTERM (128 + SIGINT, as a shell reports Ctrl-C).</summary>
    public const int Interrupted = 130;
}
