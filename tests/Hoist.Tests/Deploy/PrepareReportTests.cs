namespace Hoist.Tests.Deploy;

using Hoist.Deploy;
using Hoist.Shell;
using Hoist.Tests.Support;

public sealed class PrepareReportTests
{
    [Theory]
    [InlineData("20260102030405", "0123456789abcdef0123456789abcdef01234567")]
    [InlineData("20260102030405-2", "")]
    [InlineData("an id with spaces", "rev=with=equals")]
    public async Task Reads_Back_The_Release_And_Revision_The_Script_Set(string id, string revision)
    {
        var run = await ReportScript.RunAsync(PrepareReport.Add(new ScriptBuilder("prepare").Line(ReportScript.Set("id", id)).Line(ReportScript.Set("rev", revision))));

        Assert.Equal(new PrepareReport(id, revision), PrepareReport.Read(run));
    }

    [Fact]
    public async Task A_Prepare_That_Stopped_Before_Its_Report_Reads_As_Nothing()
    {
        var run = await ReportScript.RunAsync(new ScriptBuilder("prepare").Raw("exit 1"));

        Assert.Equal(new PrepareReport(null, null), PrepareReport.Read(run));
    }

    [Fact]
    public async Task A_Build_Printing_A_Marker_Changes_Nothing()
    {
        var script = PrepareReport.Add(new ScriptBuilder("prepare").Line(ReportScript.Set("id", "20260102030405")).Line(ReportScript.Set("rev", "abc")))
            .Line(ReportScript.Print(ReportScript.OtherNonce + "new_release=../../etc"))
            .Line(ReportScript.Print(Marker.Prefix + "new_release=../../etc", toStderr: true))
            .Line(ReportScript.Print(Marker.Prefix + "revision"));

        var report = PrepareReport.Read(await ReportScript.RunAsync(script));

        Assert.Equal(new PrepareReport("20260102030405", "abc"), report);
    }

    [Fact]
    public async Task Only_Forged_Markers_Read_As_Nothing()
    {
        var run = await ReportScript.RunAsync(new ScriptBuilder("build")
            .Line(ReportScript.Print(ReportScript.OtherNonce + "new_release=../../etc"))
            .Line(ReportScript.Print(Marker.Prefix + "new_release=../../etc", toStderr: true)));

        Assert.Null(PrepareReport.Read(run).NewRelease);
    }
}
