namespace Hoist.Tests.Config.Loading;

using Hoist.Config.Loading;

public sealed class KeySuggestionTests
{
    private static readonly string[] Keys = ["app", "deploy_to", "keep_releases", "hosts"];

    [Theory]
    [InlineData("deplyo_to", "did you mean 'deploy_to'?")]
    [InlineData("host", "did you mean 'hosts'?")]
    [InlineData("keep", "did you mean 'keep_releases'?")]
    [InlineData("App", "did you mean 'app'?")]
    [InlineData("banana", "valid keys: app, deploy_to, keep_releases, hosts")]
    public void Hints(string key, string hint) => Assert.Equal(hint, KeySuggestion.Hint(key, Keys));

    [Fact]
    public void Finds_Closest_OrNone()
    {
        Assert.Equal("hosts", KeySuggestion.Closest("host", Keys));
        Assert.Null(KeySuggestion.Closest("banana", Keys));
    }

    [Theory]
    [InlineData("", "", 0)]
    [InlineData("abc", "", 3)]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("deplyo_to", "deploy_to", 2)]
    public void Measures_Distance(string a, string b, int distance) => Assert.Equal(distance, KeySuggestion.Distance(a, b));
}
