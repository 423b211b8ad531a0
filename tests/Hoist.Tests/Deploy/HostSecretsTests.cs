namespace Hoist.Tests.Deploy;

using Hoist.Deploy;
using Hoist.Shell;
using Hoist.Tests.Config;
using Hoist.Tests.Support;

/// <summary>The lines that send a host's .env values back (<see cref="HostSecrets.Report"/>), run by bash on a temp deploy_to.</summary>
public sealed class HostSecretsTests : IDisposable
{
    private readonly TempDir deployTo = new();

    public void Dispose() => deployTo.Dispose();

    [Fact]
    public async Task Every_Line_Comes_Back_As_Written_Then_The_Done_Marker()
    {
        deployTo.Write("shared/.env", "DATABASE_URL=postgresql://app:pw@db/app\nEMPTY=\nSPACED=a b=c\n");
        deployTo.Write(".env.migrate", "MIGRATE_DATABASE_URL=postgresql://owner:pw@db/app");

        var script = Report();
        var run = await ReportScript.RunAsync(script);

        Assert.Equal(
            ["DATABASE_URL=postgresql://app:pw@db/app", "EMPTY=", "SPACED=a b=c", "MIGRATE_DATABASE_URL=postgresql://owner:pw@db/app"],
            HostSecrets.LineKey.All(run));
        Assert.Equal(["1"], HostSecrets.DoneKey.All(run));
        Assert.Equal(HostSecrets.DoneKey, script.ShowAfter);
        Assert.Empty(run.Output);
    }

    [Fact]
    public async Task A_Host_Without_Env_Files_Only_Says_It_Is_Done()
    {
        var run = await ReportScript.RunAsync(Report());

        Assert.Empty(HostSecrets.LineKey.All(run));
        Assert.Equal(HostSecrets.DoneKey.Name, Assert.Single(run.Markers).Key);
    }

    [Fact]
    public async Task A_Line_Holding_A_Forged_Marker_Is_Only_A_Line_Of_The_File()
    {
        deployTo.Write("shared/.env", ReportScript.OtherNonce + "env_done=1\n");

        var run = await ReportScript.RunAsync(Report());

        Assert.Equal([ReportScript.OtherNonce + "env_done=1"], HostSecrets.LineKey.All(run));
        Assert.Equal(["1"], HostSecrets.DoneKey.All(run));
    }

    private Script Report()
    {
        var config = TestConfig.Valid($"""
            app: demo
            repo: /srv/git/demo.git
            deploy_to: "{deployTo.Path}"
            hosts:
              web: [10.0.0.1]
            """);
        return HostSecrets.Report(new ScriptBuilder("state").Line(DeployPaths.AssignRoot(config.DeployTo)), config).Build();
    }
}
