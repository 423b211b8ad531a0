namespace Hoist.Tests.Init;

using Hoist.Init;

public sealed class YamlScalarTests
{
    [Theory]
    [InlineData("git@github.com:me/app.git", "git@github.com:me/app.git")]
    [InlineData("_", "_")]
    [InlineData("node server.js", "'node server.js'")]
    [InlineData("yes", "'yes'")]
    [InlineData("0600", "'0600'")]
    [InlineData("it's", "'it''s'")]
    [InlineData("a: b", "'a: b'")]
    [InlineData("#x", "'#x'")]
    public void Quotes_What_Yaml_Would_Read_Otherwise(string value, string written) => Assert.Equal(written, YamlScalar.Of(value));

    [Fact]
    public void Refuses_A_Line_Break() => Assert.Throws<ArgumentException>(() => YamlScalar.Of("a\nb: c"));
}
