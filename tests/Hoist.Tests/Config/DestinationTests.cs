namespace Hoist.Tests.Config;

using Hoist.Config;

public sealed class DestinationTests
{
    [Theory]
    [InlineData("staging")]
    [InlineData("eu-west_2")]
    [InlineData("0")]
    [InlineData("Prod")]
    public void Accepts_Plain_Names(string name) => Assert.Null(Destination.Problem(name));

    [Theory]
    [InlineData("")]
    [InlineData("-staging")]
    [InlineData("_x")]
    [InlineData("../prod")]
    [InlineData("a/b")]
    [InlineData("a.b")]
    [InlineData("st aging")]
    [InlineData("x\u001b[31m")]
    // .NET's '$' also matches before a final line break: "staging\n" passed, and reached the file name and audit lines.
    [InlineData("staging\n")]
    public void Rejects_Names_That_Are_Not_One_Plain_Word(string name)
    {
        var problem = Destination.Problem(name);

        Assert.NotNull(problem);
        Assert.DoesNotContain('\u001b', problem);
        Assert.EndsWith("use letters, digits, '-' and '_', starting with a letter or digit, at most 64 (e.g. -d staging)", problem);
    }

    [Fact]
    public void Rejects_A_Name_Longer_Than_64()
    {
        Assert.Null(Destination.Problem(new string('a', Destination.MaxLength)));
        Assert.NotNull(Destination.Problem(new string('a', Destination.MaxLength + 1)));
    }

    [Theory]
    [InlineData("hoist.yml", "hoist.staging.yml")]
    [InlineData("/p/hoist.yml", "/p/hoist.staging.yml")]
    [InlineData("deploy/app.yml", "deploy/app.staging.yml")]
    [InlineData("deploy/app.yaml", "deploy/app.staging.yaml")]
    [InlineData("deploy/config", "deploy/config.staging")]
    [InlineData("/p/my.app.yml", "/p/my.app.staging.yml")]
    public void Overlay_Is_Beside_The_Config_With_Its_Stem_And_Extension(string config, string overlay) =>
        Assert.Equal(overlay, Destination.OverlayFile(config, "staging"));
}
