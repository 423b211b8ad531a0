namespace Hoist.Tests.Deploy;

using Hoist.Core;
using Hoist.Deploy;

public sealed class LocalRepoTests
{
    [Fact]
    public void Counts_Files_Bytes_And_Submodules_From_Ls_Tree()
    {
        var listing = "100644 blob 1111111111111111111111111111111111111111     120\tapp.py\0" +
                      "100755 blob 2222222222222222222222222222222222222222    2048\tbin/run me\0" +
                      "120000 blob 3333333333333333333333333333333333333333       6\tlink\0" +
                      "160000 commit 4444444444444444444444444444444444444444       -\tvendor/lib\0";

        var (files, bytes, submodules) = LocalRepo.Count(listing);

        Assert.Equal(3, files);
        Assert.Equal(2174, bytes);
        Assert.Equal(["vendor/lib"], submodules);
    }

    [Fact]
    public void Caches_A_Url_Under_Xdg_Cache_Home_Else_Home_By_A_Hash_That_Keeps_The_Url_Out_Of_The_Name()
    {
        const string url = "https://me:s3cret@example.com/me/private.git";
        var underHome = LocalRepo.CacheFolder(url, new Dictionary<string, string?> { ["HOME"] = "/home/me" });
        var underXdg = LocalRepo.CacheFolder(url, new Dictionary<string, string?> { ["HOME"] = "/home/me", ["XDG_CACHE_HOME"] = "/var/cache/me" });

        Assert.Matches("^/home/me/.cache/hoist/repos/[0-9a-f]{16}.git$", underHome);
        Assert.Equal(Path.GetFileName(underHome), Path.GetFileName(underXdg));
        Assert.StartsWith("/var/cache/me/hoist/repos/", underXdg, StringComparison.Ordinal);
        Assert.NotEqual(underHome, LocalRepo.CacheFolder("https://example.com/me/other.git", new Dictionary<string, string?> { ["HOME"] = "/home/me" }));
        Assert.DoesNotContain("s3cret", underHome, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_Home_The_Cache_Is_An_Error_Saying_What_To_Set() =>
        Assert.Contains("HOME is not set; set HOME (or XDG_CACHE_HOME)",
            Assert.Throws<HoistException>(() => LocalRepo.CacheFolder("git://h/r.git", new Dictionary<string, string?>())).Message, StringComparison.Ordinal);

    [Fact]
    public void Says_What_Is_Sent_And_Warns_Of_Each_Submodule()
    {
        var commit = new LocalCommit("git@example.com:me/app.git", "main", ["--git-dir", "/c"], "0123456789abcdef0123456789abcdef01234567", 3, 2174, ["vendor/lib"]);

        Assert.Equal("# fetch: local: main of git@example.com:me/app.git is 0123456789abcdef0123456789abcdef01234567 (3 files, 2.1 KiB), would be sent as one tar (git archive) to each host",
            commit.Summary(dryRun: true));
        Assert.StartsWith("fetch: local: main of", commit.Summary(dryRun: false), StringComparison.Ordinal);
        Assert.Equal(["submodule vendor/lib is not sent (git archive leaves its folder empty, as fetch: host does); vendor it, or fetch it in a build step"], commit.Warnings);
    }
}
