namespace Hoist.Tests.Config.Loading;

using Hoist.Tests.Config;

public sealed class SharedReaderTests
{
    private const string Head = "app: demo\nrepo: /srv/demo.git\nhosts: { web: 10.0.0.1 }\n";

    [Fact]
    public void Accepts_RelativePaths_TrimmingTrailingSlash()
    {
        Assert.Equal(["media", "config/app.ini", ".env"], TestConfig.Valid(Head + "shared: [media/, config/app.ini, .env]").Shared);
    }

    [Fact]
    public void Rejects_AbsoluteParentDuplicateAndUnclean()
    {
        var errors = TestConfig.Errors(Head + "shared: [/etc, ../up, media, media/, a//b]");

        Assert.Equal(
            [
                "hoist.yml:4:10: shared[0]: '/etc' must be relative to the shared folder; did you mean 'etc'?",
                "hoist.yml:4:16: shared[1]: '../up' must not contain '..'; shared paths stay inside the shared folder",
                "hoist.yml:4:30: shared[3]: 'media' is listed twice; remove one",
                "hoist.yml:4:38: shared[4]: 'a//b' is not a clean relative path; write it like 'media' or 'config/app.ini'",
            ],
            errors);
    }

    [Theory]
    [InlineData("shared/../x", "must not contain '..'")]
    [InlineData("media/..", "must not contain '..'")]
    [InlineData("./media", "is not a clean relative path")]
    [InlineData("~/x", null)]
    public void Hostile_Entries_Are_Refused_At_Load(string entry, string? problem)
    {
        if (problem is null)
        {
            // '~' is no special name to the shell here: the entry is quoted, so it is a folder named '~' in the release.
            Assert.Equal([entry], TestConfig.Valid(Head + $"shared: [\"{entry}\"]").Shared);
            return;
        }

        Assert.Contains(problem, TestConfig.Single(Head + $"shared: [\"{entry}\"]"));
    }
}
