namespace Hoist.Deploy;

using Hoist.Remote;
using Hoist.Shell;

/// <summary>What a revert (<see cref="GateScripts.Revert"/>) reports: the release current went back to.</summary>
/// <param name="Reverted">
/// The release current was put back on; <see cref="NothingBefore"/> for a first release, which stays; null when current
/// had not moved to the failed release (nothing was put back).
/// </param>
internal sealed record RevertReport(string? Reverted)
{
    /// <summary>What <see cref="Reverted"/> says on a first deploy: there was nothing to go back to.</summary>
    public const string NothingBefore = "none";

    /// <summary>The exit status of the reload onto the previous release (<see cref="GateScripts.AddReload"/>); shown on the host's lines, read by nothing.</summary>
    public static readonly ReportKey ReloadKey = new("revert_reload_status");

    private static readonly ReportKey RevertedKey = new("reverted");

    /// <summary>The line that reports <paramref name="release"/> as the one current went back to (a plain id, or <see cref="NothingBefore"/>).</summary>
    public static ShellCommand EchoReverted(string release) => RevertedKey.Echo(release);

    public static RevertReport Read(HostRun run) => new(RevertedKey.Last(run));
}
