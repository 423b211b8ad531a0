namespace Hoist.Tests.Deploy;

using Hoist.Config;
using Hoist.Deploy;
using Hoist.Shell;
using Hoist.Tests.Support;

/// <summary>The switch's, the commit's and the revert's reports (<see cref="SwitchReport"/>, <see cref="CommitReport"/>, <see cref="RevertReport"/>), their lines run by bash.</summary>
public sealed class GateReportTests : IDisposable
{
    private readonly TempDir deployTo = new();

    public void Dispose() => deployTo.Dispose();

    [Theory]
    [InlineData("exit 3", "3")]
    [InlineData("true", "0")]
    public async Task The_Switch_Reports_The_Reload_Status_Of_The_Reload_It_Ran(string reload, string status)
    {
        var script = Start().Line(SwitchReport.EchoSwitched()).Raw("set +e").Raw("reload_status=0");
        GateScripts.AddReload(script, Config(reload), "20260102030405", "reload_status");

        var report = SwitchReport.Read(await ReportScript.RunAsync(script));

        Assert.Equal(new SwitchReport(true, status, null), report);
        Assert.Equal(status != "0", report.ReloadFailed);
    }

    [Theory]
    [InlineData(SwitchReport.HealthOk, false)]
    [InlineData(SwitchReport.HealthFailed, true)]
    public async Task The_Switch_Reports_Its_Health(string health, bool unhealthy)
    {
        var script = Start().Line(ReportScript.Set("health", health)).Report(SwitchReport.HealthKey, "$health");

        var report = SwitchReport.Read(await ReportScript.RunAsync(script));

        Assert.Equal(health, report.Health);
        Assert.Equal(unhealthy, report.Unhealthy);
    }

    [Fact]
    public async Task A_Switch_That_Stopped_Before_The_Rename_Reports_Nothing_Moved()
    {
        var script = Start().Raw("exit 1").Line(SwitchReport.EchoSwitched());

        Assert.Equal(new SwitchReport(false, null, null), SwitchReport.Read(await ReportScript.RunAsync(script)));
    }

    [Fact]
    public async Task A_Reload_Printing_Markers_Does_Not_Fake_A_Switch_Or_Its_Status()
    {
        var script = Start().Raw("set +e").Raw("reload_status=0");
        var forging = $"printf '%s\\n' '{ReportScript.OtherNonce}switched=1' '{ReportScript.OtherNonce}reload_status=0'; " +
            $"printf '%s\\n' '{Marker.Prefix}switched=1' >&2; exit 4";
        GateScripts.AddReload(script, Config(forging), "20260102030405", "reload_status");

        var report = SwitchReport.Read(await ReportScript.RunAsync(script));

        Assert.Equal(new SwitchReport(false, "4", null), report);
    }

    [Fact]
    public async Task The_Commit_Reports_What_Failed_Of_Its_Bookkeeping()
    {
        var script = Start().Raw("false || " + CommitReport.EchoServeCommitFailed()).Raw("true || " + CommitReport.EchoPruneFailed());

        Assert.Equal(new CommitReport(ServeCommitFailed: true, PruneFailed: false), CommitReport.Read(await ReportScript.RunAsync(script)));
    }

    [Fact]
    public async Task A_Commit_That_Reported_Nothing_Failed_Nothing()
    {
        var run = await ReportScript.RunAsync(Start().Line(ReportScript.Print(ReportScript.OtherNonce + "prune_failed=1")));

        Assert.Equal(new CommitReport(false, false), CommitReport.Read(run));
    }

    [Theory]
    [InlineData("20260101000000")]
    [InlineData(RevertReport.NothingBefore)]
    public async Task The_Revert_Reports_Where_Current_Went_Back(string release)
    {
        var run = await ReportScript.RunAsync(Start().Line(RevertReport.EchoReverted(release)));

        Assert.Equal(release, RevertReport.Read(run).Reverted);
    }

    [Fact]
    public async Task A_Revert_Where_Current_Had_Not_Moved_Reports_Nothing()
    {
        var run = await ReportScript.RunAsync(Start().Line(ReportScript.Print(Marker.Prefix + "reverted=20260101000000", toStderr: true)));

        Assert.Null(RevertReport.Read(run).Reverted);
    }

    [Fact]
    public async Task The_Revert_Reload_Status_Is_Not_The_Switch_One()
    {
        var script = Start().Raw("set +e").Raw("revert_status=0");
        GateScripts.AddReload(script, Config("exit 5"), "20260101000000", "revert_status", RevertReport.ReloadKey);

        var run = await ReportScript.RunAsync(script);

        Assert.Equal(["5"], RevertReport.ReloadKey.All(run));
        Assert.Null(SwitchReport.Read(run).ReloadStatus);
    }

    private ScriptBuilder Start() => new ScriptBuilder("gate").Line(DeployPaths.AssignRoot(deployTo.Path));

    private HoistConfig Config(string reload) => new(
        App: "myapp",
        Source: new GitSource("git@example.com:me/app.git", "main"),
        DeployTo: deployTo.Path,
        KeepReleases: 5,
        Roles: [],
        Ssh: new SshConfig("deploy", 22, null, "/k", false, TimeSpan.FromSeconds(10)),
        Shared: [],
        Build: [],
        Reload: reload,
        Env: [],
        ConfigPath: "/p/hoist.yml");
}
