namespace Hoist.Tests.Logs;

using Hoist.Config;
using Hoist.Logs;
using Hoist.Tests.Config;
using Hoist.Tests.Support;

public sealed class LogsScriptTests
{
    public const string Yaml = """
        app: myapp
        repo: /srv/git/myapp.git
        deploy_to: /srv/myapp
        hosts:
          web: [root@10.0.0.1, root@10.0.0.2]
        deploy:
          health_url: /up
        serve:
          socket: /srv/myapp/shared/run/app.sock
          workers: 3
          wsgi_file: wsgi.py
          callable: app
          logto: /srv/myapp/shared/log/serve.log
        setup:
          user: myappuser
        """;

    private static readonly DateTimeOffset Since = new(2026, 12, 3, 14, 0, 0, TimeSpan.Zero);

    internal static HoistConfig Config() => TestConfig.Valid(Yaml);

    [Fact]
    public void Gather_Reads_The_Last_Lines_Of_Logto_And_The_Journal_As_Markers() =>
        Golden.Match("logs-gather.sh", LogsScript.Gather(Config(), new LogsRequest(false, 100, null, null, false)).Show());

    [Fact]
    public void Gather_With_Since_And_Grep_Filters_On_The_Host_Before_The_Count_And_Quotes_The_Pattern() =>
        Golden.Match("logs-gather-filtered.sh", LogsScript.Gather(Config(), new LogsRequest(false, 5, Since, "it's $(reboot) | x", true)).Show());

    [Fact]
    public void Follow_Tails_Each_Source_By_Name_In_Its_Own_Process_Group_And_Ends_Them_When_The_Channel_Goes() =>
        Golden.Match("logs-follow.sh", LogsScript.Follow(Config(), new LogsRequest(true, 10, null, "error|warn", true)).Show());

    [Fact]
    public void Sources_Are_Those_The_Config_Has()
    {
        var bare = TestConfig.Valid(TestConfig.Minimal);

        Assert.Empty(LogsScript.Sources(bare, nginx: false));
        Assert.Equal([LogSource.Nginx], LogsScript.Sources(bare, nginx: true));
        Assert.Equal([LogSource.Logto, LogSource.Journal], LogsScript.Sources(Config(), nginx: false));
    }
}
