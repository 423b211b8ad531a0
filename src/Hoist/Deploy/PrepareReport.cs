namespace Hoist.Deploy;

using Hoist.Remote;
using Hoist.Shell;

/// <summary>
/// What a prepare (<see cref="ReleaseScripts.Prepare"/>) reports of the release it makes; its host's layout comes in the
/// same run (<see cref="HostState"/>), a held lock's holder too (<see cref="LockReport"/>).
/// </summary>
/// <param name="NewRelease">The id of the release made, as the host reported it (not yet checked to be one).</param>
/// <param name="Revision">The commit or the upload's hash it was made from.</param>
internal sealed record PrepareReport(string? NewRelease, string? Revision)
{
    private static readonly ReportKey NewReleaseKey = new("new_release");
    private static readonly ReportKey RevisionKey = new("revision");

    /// <summary>The report lines, once the script has set <c>id</c> and <c>rev</c>.</summary>
    public static ScriptBuilder Add(ScriptBuilder script) => script
        .Report(NewReleaseKey, "$id")
        .Report(RevisionKey, "$rev");

    public static PrepareReport Read(HostRun run) => new(NewReleaseKey.Last(run), RevisionKey.Last(run));
}
