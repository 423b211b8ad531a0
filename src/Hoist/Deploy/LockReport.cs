namespace Hoist.Deploy;

using Hoist.Remote;
using Hoist.Shell;

/// <summary>Who holds the deploy lock that a script found taken (<see cref="LockScript.Take"/>, exit <see cref="LockScript.HeldExitCode"/>).</summary>
/// <param name="Holder">The holder's line (<see cref="LockScript.HolderValue"/>), or null when the lock was not found held.</param>
internal sealed record LockReport(string? Holder)
{
    private static readonly ReportKey LockedKey = new("locked");

    /// <summary>The line that reports the holder, inside the lock's own shell <c>if</c>.</summary>
    public static string EchoHolder() => LockedKey.EchoText(LockScript.HolderValue);

    public static LockReport Read(HostRun run) => new(LockedKey.Last(run));

    /// <summary>
    /// The run stopped at a lock another run holds: exit 75 with the holder reported. The exit code alone is not
    /// proof: a build command that exits 75 (EX_TEMPFAIL) stops a script with it too, and reports no holder.
    /// </summary>
    public static bool FoundHeld(HostRun run) => run.ExitCode == LockScript.HeldExitCode && Read(run).Holder is not null;
}
