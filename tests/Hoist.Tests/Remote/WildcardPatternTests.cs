using Hoist.Remote;

namespace Hoist.Tests.Remote;

public sealed class WildcardPatternTests
{
    [Theory]
    [InlineData("web1", "web1", true)]
    [InlineData("WEB1", "web1", true)]
    [InlineData("web1", "web?", true)]
    [InlineData("web10", "web?", false)]
    [InlineData("a.b.example.com", "*.example.com", true)]
    [InlineData("example.com", "*.example.com", false)]
    [InlineData("[web1]:2222", "[web*]:2222", true)]
    [InlineData("[web1]:22222", "[web*]:2222", false)]
    [InlineData("abcabd", "*ab?", true)]
    [InlineData("", "*", true)]
    [InlineData("x", "", false)]
    public void Matches_Like_OpenSsh(string text, string pattern, bool expected) =>
        Assert.Equal(expected, WildcardPattern.Matches(text, pattern));
}
