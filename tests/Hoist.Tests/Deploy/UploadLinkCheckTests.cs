namespace Hoist.Tests.Deploy;

using Hoist.Deploy;
using Hoist.Tests.Support;

public sealed class UploadLinkCheckTests : IDisposable
{
    private readonly TempDir dir = new();

    public UploadLinkCheckTests() => Directory.CreateDirectory(dir.Combine("sub", "deep"));

    [Theory]
    [InlineData("leak", "/etc/shadow")]
    [InlineData("up", "../outside.txt")]
    [InlineData("sub/up", "../../outside.txt")]
    [InlineData("sub/deep/up", "../../..")]
    public void Leaves_Absolute_And_Climbing_Targets(string name, string target) =>
        Assert.True(UploadLinkCheck.Leaves(dir.Path, name, target));

    [Theory]
    [InlineData("inside", "app.txt")]
    [InlineData("sub/back", "../app.txt")]
    [InlineData("sub/deep/back", "../../sub/./deep/x")]
    [InlineData("self", ".")]
    [InlineData("missing", "no/such/file")]
    public void Stays_For_Targets_Inside(string name, string target) =>
        Assert.False(UploadLinkCheck.Leaves(dir.Path, name, target));

    [Fact]
    public void Follows_The_Folders_Own_Links_As_The_Kernel_Would()
    {
        // here -> . makes here/.. the folder's parent, which a lexical check takes for the folder itself.
        File.CreateSymbolicLink(dir.Combine("here"), ".");
        File.CreateSymbolicLink(dir.Combine("deeplink"), "sub/deep");

        Assert.True(UploadLinkCheck.Leaves(dir.Path, "x", "here/../y"));
        Assert.False(UploadLinkCheck.Leaves(dir.Path, "z", "deeplink/../../app.txt"));
    }

    [Fact]
    public void A_Loop_Counts_As_Leaving()
    {
        File.CreateSymbolicLink(dir.Combine("a"), "b");
        File.CreateSymbolicLink(dir.Combine("b"), "a");

        Assert.True(UploadLinkCheck.Leaves(dir.Path, "x", "a/file"));
    }

    public void Dispose() => dir.Dispose();
}
