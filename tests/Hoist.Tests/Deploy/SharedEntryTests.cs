namespace Hoist.Tests.Deploy;

using Hoist.Deploy;

public sealed class SharedEntryTests
{
    [Theory]
    [InlineData("media", new string[0])]
    [InlineData("config/app.ini", new[] { "config" })]
    [InlineData("a/b/c.ini", new[] { "a", "a/b" })]
    public void Parents_Lists_Each_Folder_Outermost_First(string entry, string[] expected) =>
        Assert.Equal(expected, SharedEntry.Parents(entry));

    [Theory]
    [InlineData(".env", true)]
    [InlineData("config/app.ini", true)]
    [InlineData("media", false)]
    [InlineData("v1.2/", false)]
    public void IsFile_Is_A_Dotted_Name(string entry, bool expected) =>
        Assert.Equal(expected, SharedEntry.IsFile(entry));
}
