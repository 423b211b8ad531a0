namespace Hoist.Run;

using Hoist.Remote;
using Hoist.Shell;

/// <summary>What <c>hoist run</c>'s stage script reports: the file it wrote for the app user, that user's ids, or why it stopped.</summary>
/// <param name="Via">How the login user becomes the app user: <c>setpriv</c> (it is root) or <c>sudo</c>.</param>
internal sealed record RunReport(string? File, string? Uid, string? Gid, string? Via, string? Error)
{
    public static readonly ReportKey FileKey = new("run_file");
    public static readonly ReportKey UidKey = new("run_uid");
    public static readonly ReportKey GidKey = new("run_gid");
    public static readonly ReportKey ViaKey = new("run_via");
    public static readonly ReportKey ErrorKey = new("run_error");

    public static RunReport Read(HostRun run) => new(FileKey.Last(run), UidKey.Last(run), GidKey.Last(run), ViaKey.Last(run), ErrorKey.Last(run));
}
