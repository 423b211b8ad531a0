namespace Hoist.Tests.Run;

using Hoist.Core;
using Hoist.Run;
using Hoist.Tests.Config;

public sealed class RunTargetTests
{
    private const string Yaml = """
        app: myapp
        repo: /srv/git/myapp.git
        hosts:
          db: root@10.0.0.9
          web: [root@10.0.0.1, root@10.0.0.2]
          lb: root@10.0.0.8
          worker: root@10.0.0.5
        """;

    [Fact]
    public void Default_Is_The_First_Web_Host() => Assert.Equal("10.0.0.1", RunTarget.Pick(TestConfig.Valid(Yaml), null).Display);

    [Fact]
    public void Without_Web_Hosts_It_Is_The_First_That_Gets_Releases() =>
        Assert.Equal("10.0.0.5", RunTarget.Pick(TestConfig.Valid("app: a\nrepo: /r\nhosts:\n  db: 10.0.0.9\n  worker: 10.0.0.5\n"), null).Display);

    [Theory]
    [InlineData("10.0.0.2")]
    [InlineData("10.0.0.5")]
    [InlineData("root@10.0.0.2:22")]
    public void Host_Picks_An_App_Host(string host) => Assert.Equal(host.Replace("root@", "").Replace(":22", ""), RunTarget.Pick(TestConfig.Valid(Yaml), host).Display);

    [Theory]
    [InlineData("10.0.0.9")]
    [InlineData("10.0.0.8")]
    public void A_Db_Or_Lb_Host_Is_A_Usage_Error_Listing_The_App_Hosts(string host)
    {
        var error = Assert.Throws<HoistException>(() => RunTarget.Pick(TestConfig.Valid(Yaml), host));

        Assert.Equal(ExitCodes.Usage, error.ExitCode);
        Assert.EndsWith($"only a db or lb host in {Path.Combine(TestConfig.BaseDirectory, TestConfig.File)}, which has no release to run in; pick one of the app's hosts: 10.0.0.1, 10.0.0.2, 10.0.0.5", error.Message);
    }

    [Fact]
    public void An_Unknown_Host_Is_A_Usage_Error()
    {
        var error = Assert.Throws<HoistException>(() => RunTarget.Pick(TestConfig.Valid(Yaml), "10.9.9.9"));

        Assert.Equal(ExitCodes.Usage, error.ExitCode);
        Assert.StartsWith("--host 10.9.9.9: no such host in ", error.Message);
    }
}
