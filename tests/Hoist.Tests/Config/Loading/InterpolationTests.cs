namespace Hoist.Tests.Config.Loading;

using Hoist.Config.Loading;

public sealed class InterpolationTests
{
    private static readonly Dictionary<string, string> Environment = new() { ["NAME"] = "demo", ["EMPTY"] = "" };

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("/srv/${NAME}/x", "/srv/demo/x")]
    [InlineData("${NAME}-${NAME}", "demo-demo")]
    [InlineData("${MISSING:-fallback}", "fallback")]
    [InlineData("${EMPTY:-fallback}", "fallback")]
    [InlineData("${EMPTY}", "")]
    [InlineData("${MISSING:-}", "")]
    [InlineData("echo $${HOME} $HOME $", "echo ${HOME} $HOME $")]
    public void Expands(string text, string expected)
    {
        var result = Interpolation.Expand(text, Environment);

        Assert.Empty(result.Errors);
        Assert.Equal(expected, result.Value);
    }

    [Fact]
    public void Records_TheVariablesRead()
    {
        Assert.Equal(["NAME", "MISSING"], Interpolation.Expand("${NAME}${MISSING:-x}", Environment).Variables);
    }

    [Theory]
    [InlineData("${GIT_URL}", "environment variable GIT_URL is not set; export it or write ${GIT_URL:-default}")]
    [InlineData("x ${NAME", "'${' has no closing '}'; write '$${' for a literal '${'")]
    [InlineData("${two words}", "'${two words}' is not a variable reference; names are letters, digits and '_' (write '$${' for a literal '${')")]
    public void Reports(string text, string error)
    {
        Assert.Equal(error, Assert.Single(Interpolation.Expand(text, Environment).Errors));
    }

    [Fact]
    public void Reports_UnsetVariable_AtItsScalar()
    {
        var error = Tests.Config.TestConfig.Single("app: demo\nrepo: ${GIT_URL}\nhosts: { web: 10.0.0.1 }");

        Assert.Equal("hoist.yml:2:7: repo: environment variable GIT_URL is not set; export it or write ${GIT_URL:-default}", error);
    }

    [Fact]
    public void Describes_ExpandedValue_InErrors()
    {
        var environment = Tests.Config.TestConfig.Environment();
        environment["KEEP"] = "many";

        var error = Tests.Config.TestConfig.Single("app: demo\nrepo: /r\nhosts: { web: h }\nkeep_releases: ${KEEP}", environment);

        Assert.Equal("hoist.yml:4:16: keep_releases: expected an integer, got '${KEEP}' (= 'many')", error);
    }
}
