namespace Hoist.Tests.Setup;

using Hoist.Deploy;
using Hoist.Setup;
using Hoist.Shell;
using Hoist.Tests.Support;

/// <summary>The lines that read a web host's database URLs back (<see cref="DatabaseUrlsReport.Lines"/>), run by bash on a temp deploy_to.</summary>
public sealed class DatabaseUrlsReportTests : IDisposable
{
    private readonly TempDir deployTo = new();

    public void Dispose() => deployTo.Dispose();

    [Fact]
    public async Task Reads_Back_Each_Url_The_Host_Has()
    {
        deployTo.Write("shared/.env", "A=1\nDATABASE_URL=postgresql://app:p%3Dw%20x@db:5432/app\n");
        deployTo.Write(".env.migrate", "MIGRATE_DATABASE_URL=postgresql://owner:secret@db:5432/app\n");

        var report = DatabaseUrlsReport.Read(await Run());

        Assert.Equal(new DatabaseUrlsReport("postgresql://app:p%3Dw%20x@db:5432/app", "postgresql://owner:secret@db:5432/app"), report);
    }

    [Fact]
    public async Task A_Host_Without_The_Files_Reports_None()
    {
        deployTo.Write("shared/.env", "DATABASE_URL=\n" + ReportScript.OtherNonce + "owner=postgresql://owner:forged@db/app\n");

        Assert.Equal(new DatabaseUrlsReport(null, null), DatabaseUrlsReport.Read(await Run()));
    }

    private Task<Hoist.Remote.HostRun> Run() => ReportScript.RunAsync(new ScriptBuilder("setup-read-passwords")
        .Line(DeployPaths.AssignRoot(deployTo.Path))
        .Raw(ReportKey.AssignPrefix)
        .Raw(EnvLines.Functions)
        .Raw(DatabaseUrlsReport.Lines));
}
