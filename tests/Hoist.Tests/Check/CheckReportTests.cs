namespace Hoist.Tests.Check;

using Hoist.Check;
using Hoist.Tests.Config;
using Hoist.Tests.Support;

/// <summary>A web host's whole check script, run by bash here against a deploy_to in a temp folder.</summary>
public sealed class CheckReportTests : IDisposable
{
    private readonly TempDir root = new();

    public void Dispose() => root.Dispose();

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public async Task With_Setup_A_Missing_Deploy_To_Is_Reported_Not_A_Problem(bool exists, bool missing)
    {
        var deployTo = root.Combine("app dir");
        if (exists)
        {
            Directory.CreateDirectory(deployTo);
        }

        var config = TestConfig.Valid($$"""
            app: myproject
            upload: "{{root.Path}}"
            deploy_to: "{{deployTo}}"
            hosts: { web: [10.0.0.2] }
            serve: { command: "dotnet App.dll", socket: /srv/myproject/shared/run/app.sock, chdir: /srv/myproject/current }
            setup: {}
            """);

        var run = await ReportScript.RunAsync(Checker.Build(config, config.Roles[0].Hosts[0]));

        Assert.True(run.Ok, run.Tail());
        Assert.Equal(new CheckReport(missing), CheckReport.Read(run));
    }
}
