namespace Hoist.Tests.Cli;

using Hoist.Cli;

public sealed class SuggestionTests
{
    private static readonly string[] Verbs = ["deploy", "rollback", "releases", "exec", "check", "lock", "setup", "serve", "--verbose", "--config", "-c"];

    [Theory]
    [InlineData("deploi", "deploy")]
    [InlineData("rolback", "rollback")]
    [InlineData("--verbos", "--verbose")]
    [InlineData("--conf", "--config")]
    [InlineData("relases", "releases")]
    public void A_Near_Miss_Gets_The_Name_It_Meant(string token, string meant)
    {
        Assert.Equal(meant, Suggestion.For(token, Verbs).First());
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("x")]
    [InlineData("ab")]
    public void A_Token_Far_From_Every_Name_Or_Too_Short_Gets_None(string token)
    {
        Assert.Empty(Suggestion.For(token, Verbs));
    }

    [Fact]
    public void Close_Names_Come_Closest_First_At_Most_Three()
    {
        Assert.Equal(["serve", "setup"], Suggestion.For("serup", ["setup", "serve", "deploy"]).OrderBy(n => n).ToList());
        Assert.True(Suggestion.For("sel", ["set", "sea", "see", "seb", "sex"]).Count <= 3);
    }
}
