namespace Hoist.Tests.Config.Loading;

using Hoist.Config;
using Hoist.Tests.Config;

/// <summary><c>fetch: host|local</c>: who fetches <c>repo</c>, and what its paths then mean.</summary>
public sealed class FetchModeTests
{
    private const string Hosts = "app: demo\nhosts: { web: 10.0.0.1 }\n";

    [Fact]
    public void Defaults_To_Host_And_Host_Is_Todays_Git_Source()
    {
        Assert.Equal(new GitSource("git@github.com:me/demo.git", "main"), TestConfig.Valid(Hosts + "repo: git@github.com:me/demo.git").Source);
        Assert.Equal(new GitSource("~/demo.git", "main"), TestConfig.Valid(Hosts + "repo: ~/demo.git\nfetch: host").Source);
    }

    [Theory]
    [InlineData("git@github.com:me/demo.git", "git@github.com:me/demo.git")]
    [InlineData("https://github.com/me/demo.git", "https://github.com/me/demo.git")]
    [InlineData("/srv/git/demo.git", "/srv/git/demo.git")]
    [InlineData("~/git/demo.git", "/home/me/git/demo.git")]
    public void Local_Keeps_Urls_And_Reads_Paths_On_This_Machine(string repo, string expected) =>
        Assert.Equal(new LocalGitSource(expected, "prod"), TestConfig.Valid(Hosts + $"repo: {repo}\nbranch: prod\nfetch: local").Source);

    [Fact]
    public void Local_Resolves_A_Relative_Path_Against_The_Config_Folder() =>
        Assert.Equal(
            new LocalGitSource(Path.GetFullPath(Path.Combine(TestConfig.BaseDirectory, "../demo")), "main"),
            TestConfig.Valid(Hosts + "repo: ../demo\nfetch: local").Source);

    [Fact]
    public void Local_Home_Path_Without_HOME_Is_An_Error() =>
        Assert.Equal(
            "hoist.yml:3:7: repo: '~/demo.git' cannot be read on this machine (fetch: local): HOME is not set, so '~/demo.git' cannot be expanded; write an absolute path",
            TestConfig.Single(Hosts + "repo: ~/demo.git\nfetch: local\nssh: { known_hosts: /k }", new Dictionary<string, string> { ["USER"] = "me" }));

    [Fact]
    public void Rejects_Fetch_With_Upload()
    {
        var folder = Directory.CreateTempSubdirectory("hoist-upload-").FullName;
        try
        {
            Assert.Equal(
                "hoist.yml:4:8: fetch: 'fetch' only applies to 'repo'; remove it when using 'upload' (an upload is always sent from this machine)",
                TestConfig.Single(Hosts + $"upload: {folder}\nfetch: local"));
        }
        finally
        {
            Directory.Delete(folder);
        }
    }

    [Fact]
    public void Rejects_An_Unknown_Value_With_Did_You_Mean() =>
        Assert.Equal(
            "hoist.yml:4:8: fetch: unknown value 'lcoal'; did you mean 'local'? write 'host' (each host fetches repo itself, the default) " +
            "or 'local' (this machine fetches it and sends the commit to each host)",
            TestConfig.Single(Hosts + "repo: /srv/demo.git\nfetch: lcoal"));

    [Fact]
    public void Rejects_A_Value_Far_From_Any_Without_A_Guess() =>
        Assert.Equal(
            "hoist.yml:4:8: fetch: unknown value 'agent'; write 'host' (each host fetches repo itself, the default) " +
            "or 'local' (this machine fetches it and sends the commit to each host)",
            TestConfig.Single(Hosts + "repo: /srv/demo.git\nfetch: agent"));

    [Fact]
    public void Local_Still_Refuses_Remote_Helpers() =>
        Assert.Contains("uses git's remote helper 'ext::'", TestConfig.Single(Hosts + "repo: 'ext::sh -c x'\nfetch: local"));

    [Fact]
    public void A_Misspelt_Fetch_Key_Is_Suggested() =>
        Assert.Equal("hoist.yml:4:1: fecth: unknown key 'fecth'; did you mean 'fetch'?", TestConfig.Single(Hosts + "repo: /srv/demo.git\nfecth: local"));
}
