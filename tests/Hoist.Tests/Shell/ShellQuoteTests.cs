namespace Hoist.Tests.Shell;

using Hoist.Shell;
using Hoist.Tests.Support;

public sealed class ShellQuoteTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("/srv/app-1/releases", "/srv/app-1/releases")]
    [InlineData("a=b,c:d@e%f+g", "a=b,c:d@e%f+g")]
    [InlineData("", "''")]
    [InlineData("two words", "'two words'")]
    [InlineData("it's", "'it'\\''s'")]
    [InlineData("$HOME", "'$HOME'")]
    [InlineData("a;rm -rf /", "'a;rm -rf /'")]
    [InlineData("~/x", "'~/x'")]
    // '$' in .NET also matches before a final line break: "a\n" went out bare, and the newline ended the command there.
    [InlineData("a\n", "'a\n'")]
    public void Quotes_Only_What_Needs_It(string value, string expected) =>
        Assert.Equal(expected, ShellQuote.Quote(value));

    [Theory]
    [InlineData("it's \"quoted\" $(whoami) `id` \\ \n newline\ttab *?[] !x ~ # ;&|<>")]
    [InlineData("'''")]
    [InlineData("-n")]
    [InlineData("safe\n")]
    [InlineData("ünïcødé ✓")]
    public async Task Bash_Reads_Back_Exactly_The_Original(string value)
    {
        var output = await Run.ShellAsync("printf %s " + ShellQuote.Quote(value));
        Assert.Equal(value, output);
    }
}
