namespace Hoist.Deploy;

using Hoist.Remote;
using Hoist.Shell;

/// <summary>What a commit (<see cref="GateScripts.Commit"/>) reports of its bookkeeping that failed without failing the commit.</summary>
/// <param name="ServeCommitFailed">hoist serve did not stop the old workers it held.</param>
/// <param name="PruneFailed">Some old releases could not be removed.</param>
internal sealed record CommitReport(bool ServeCommitFailed, bool PruneFailed)
{
    private static readonly ReportKey ServeCommitFailedKey = new("serve_commit_failed");
    private static readonly ReportKey PruneFailedKey = new("prune_failed");

    /// <summary>Text to run when stopping the held workers failed (after <c>||</c>, say).</summary>
    public static string EchoServeCommitFailed() => ServeCommitFailedKey.EchoText("1");

    /// <summary>Text to run when removing old releases failed.</summary>
    public static string EchoPruneFailed() => PruneFailedKey.EchoText("1");

    public static CommitReport Read(HostRun run) => new(ServeCommitFailedKey.Last(run) is not null, PruneFailedKey.Last(run) is not null);
}
