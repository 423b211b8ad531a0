namespace Hoist.Tests.Config.Loading;

using Hoist.Config;
using Hoist.Tests.Config;
using Xunit.Abstractions;

public sealed class MigrateReaderTests(ITestOutputHelper output)
{
    private const string TwoWeb = """
        app: demo
        repo: /srv/git/demo.git
        hosts:
          web: [10.0.0.1, 10.0.0.2:2222]
          db: [10.0.0.9]
        """;

    [Fact]
    public void Defaults_To_The_First_Web_Host()
    {
        var config = TestConfig.Valid(TwoWeb + "\nmigrate: venv/bin/flask db upgrade");

        Assert.Equal(["venv/bin/flask db upgrade"], config.Migrate!.Commands);
        Assert.Equal(new HostConfig("10.0.0.1", 22, "me", false), config.Migrate.Host);
    }

    [Fact]
    public void Reads_A_List_And_Migrate_On_As_Written_In_Hosts()
    {
        var config = TestConfig.Valid(TwoWeb + "\nmigrate: [one, two]\nmigrate_on: 10.0.0.2:2222");

        Assert.Equal(["one", "two"], config.Migrate!.Commands);
        Assert.Equal(2222, config.Migrate.Host.Port);
    }

    [Fact]
    public void No_Migrate_Is_None() => Assert.Null(TestConfig.Valid(TwoWeb).Migrate);

    [Fact]
    public void Rejects_Migrate_On_That_Is_Not_A_Web_Host()
    {
        var error = TestConfig.Single(TwoWeb + "\nmigrate: up\nmigrate_on: 10.0.0.9");
        output.WriteLine(error);

        Assert.Equal("hoist.yml:7:13: migrate_on: '10.0.0.9' is not a web host of this file; migrations run on one of hosts.web: the web hosts are: 10.0.0.1, 10.0.0.2:2222", error);
    }

    [Fact]
    public void Rejects_Empty_Commands_All_At_Once()
    {
        var errors = TestConfig.Errors(TwoWeb + "\nmigrate: [\"\", \"  \"]\nlocal_build: [\"\"]");
        output.WriteLine(string.Join('\n', errors));

        Assert.Equal(3, errors.Count);
        Assert.Contains("hoist.yml:6:11: migrate[0]: empty command; remove it", errors);
        Assert.Contains("hoist.yml:6:15: migrate[1]: empty command; remove it", errors);
    }

    [Fact]
    public void Rejects_An_Empty_List_And_A_Shell_Syntax_Error()
    {
        Assert.Equal(
            "hoist.yml:6:10: migrate: no command; give one (migrate: venv/bin/flask db upgrade) or a list of them, or remove migrate:",
            TestConfig.Single(TwoWeb + "\nmigrate: []"));
        Assert.StartsWith("hoist.yml:6:11: migrate[0]: shell syntax error in 'if then'", TestConfig.Single(TwoWeb + "\nmigrate: [\"if then\"]"));
    }

    [Fact]
    public void Rejects_Migrate_On_Without_Migrate() =>
        Assert.Equal(
            "hoist.yml:6:13: migrate_on: migrate_on is set but there is no migrate: command to run; add migrate: or remove migrate_on",
            TestConfig.Single(TwoWeb + "\nmigrate_on: 10.0.0.1"));

    [Fact]
    public void Rejects_Migrate_Without_A_Web_Role() =>
        Assert.Equal(
            "hoist.yml:5:10: migrate: migrations run on a web host, and hosts: has no web role; add one (hosts: { web: [203.0.113.10] })",
            TestConfig.Single("app: demo\nrepo: /r\nhosts:\n  worker: [10.0.0.1]\nmigrate: up"));
}
