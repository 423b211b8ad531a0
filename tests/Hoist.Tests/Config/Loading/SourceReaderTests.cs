namespace Hoist.Tests.Config.Loading;

using Hoist.Config;
using Hoist.Tests.Config;

public sealed class SourceReaderTests
{
    private const string Hosts = "app: demo\nhosts: { web: 10.0.0.1 }\n";

    [Theory]
    [InlineData("https://github.com/me/demo.git", "https://github.com/me/demo.git")]
    [InlineData("git@github.com:me/demo.git", "git@github.com:me/demo.git")]
    [InlineData("ssh://git@host:2222/demo.git", "ssh://git@host:2222/demo.git")]
    [InlineData("/srv/git/demo.git", "/srv/git/demo.git")]
    [InlineData("~/git/demo.git", "~/git/demo.git")]
    [InlineData("file:///srv/git/demo.git", "file:///srv/git/demo.git")]
    [InlineData("git://host/demo.git", "git://host/demo.git")]
    [InlineData("git+ssh://host/demo.git", "git+ssh://host/demo.git")]
    public void Keeps_RepoUrlsAndHostPaths_AsWritten(string repo, string expected)
    {
        var config = TestConfig.Valid(Hosts + $"repo: {repo}");

        Assert.Equal(new GitSource(expected, "main"), config.Source);
    }

    [Fact]
    public void Resolves_RelativeRepo_AgainstConfigFolder()
    {
        var config = TestConfig.Valid(Hosts + "repo: ../git/demo.git");

        Assert.Equal(Path.GetFullPath(Path.Combine(TestConfig.BaseDirectory, "../git/demo.git")), ((GitSource)config.Source).Repo);
    }

    [Fact]
    public void Rejects_RepoAndUpload_Together()
    {
        var error = TestConfig.Single(Hosts + "repo: /srv/demo.git\nupload: .");

        Assert.Equal(
            "hoist.yml:4:9: upload: 'repo' and 'upload' are both set; keep 'repo' to deploy from git, or 'upload' to send a local folder",
            error);
    }

    [Fact]
    public void Rejects_Branch_WithUpload()
    {
        var folder = Directory.CreateTempSubdirectory("hoist-upload-").FullName;
        try
        {
            var error = TestConfig.Single(Hosts + $"upload: {folder}\nbranch: main");

            Assert.Equal("hoist.yml:4:9: branch: 'branch' only applies to 'repo'; remove it when using 'upload'", error);
        }
        finally
        {
            Directory.Delete(folder);
        }
    }

    [Fact]
    public void Resolves_Upload_AgainstConfigFolder()
    {
        var folder = Directory.CreateTempSubdirectory("hoist-upload-").FullName;
        try
        {
            var config = ConfigLoader.LoadText(Hosts + "upload: ./publish/", "hoist.yml", folder, TestConfig.Environment());
            Assert.False(config.Succeeded);

            Directory.CreateDirectory(Path.Combine(folder, "publish"));
            config = ConfigLoader.LoadText(Hosts + "upload: ./publish/", "hoist.yml", folder, TestConfig.Environment());

            Assert.True(config.Succeeded, string.Join('\n', config.Errors));
            Assert.Equal(new UploadSource(Path.Combine(folder, "publish")), config.Config.Source);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Rejects_Upload_ThatIsMissingOrAFile()
    {
        var missing = Path.Combine(TestConfig.BaseDirectory, "no-such-folder");

        Assert.Equal(
            $"hoist.yml:3:9: upload: folder {missing} does not exist; build the app into it first (or with local_build), or fix the path",
            TestConfig.Single(Hosts + "upload: no-such-folder"));

        var file = Path.GetTempFileName();
        try
        {
            Assert.Contains("is a file, not a folder", TestConfig.Single(Hosts + $"upload: {file}"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Rejects_BadBranch()
    {
        Assert.Equal(
            "hoist.yml:4:9: branch: '--force' is not a valid branch name",
            TestConfig.Single(Hosts + "repo: /srv/demo.git\nbranch: --force"));
    }

    [Theory]
    [InlineData("fd::7", "uses git's remote helper 'fd::', which Hoist does not run")]
    [InlineData("'ext::sh -c touch% /tmp/pwned'", "uses git's remote helper 'ext::', which Hoist does not run")]
    [InlineData("host::path", "uses git's remote helper 'host::', which Hoist does not run")]
    [InlineData("foo://host/demo.git", "uses the transport 'foo://', which Hoist does not allow")]
    [InlineData("-oProxyCommand=x:y", "starts with '-', which git would read as an option")]
    [InlineData("--upload-pack=touch", "starts with '-', which git would read as an option")]
    [InlineData("~deploy/demo.git", "starts with '~user': only '~/' (the SSH user's home on the host) is expanded")]
    public void Rejects_Repo_Git_Would_Misread(string repo, string problem)
    {
        var error = TestConfig.Single(Hosts + $"repo: {repo}");

        Assert.StartsWith("hoist.yml:3:7: repo: '", error);
        Assert.Contains(problem, error);
    }
}
