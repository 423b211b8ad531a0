namespace Hoist.Tests.Config.Loading;

using Hoist.Tests.Config;

/// <summary>setup.secrets: names setup generates on the web hosts, refused where they would have two values or are setup's own.</summary>
public sealed class SetupSecretsReaderTests
{
    private const string Base = """
        app: myproject
        repo: /srv/git/myproject.git
        deploy_to: /srv/myproject
        hosts:
          web: [10.0.0.1, 10.0.0.2]
        """;

    [Fact]
    public void Reads_The_Names_In_Order()
    {
        var config = TestConfig.Valid(Base + "\nsetup:\n  secrets: [SECRET_KEY, SESSION_SALT]\n");

        Assert.Equal(["SECRET_KEY", "SESSION_SALT"], config.Setup!.Secrets);
    }

    [Fact]
    public void Defaults_To_None()
    {
        Assert.Empty(TestConfig.Valid(Base + "\nsetup: {}\n").Setup!.Secrets);
    }

    [Theory]
    [InlineData("setup:\n  secrets: [9LIVES]", "hoist.yml:7:13: setup.secrets[0]: '9LIVES' is not a valid variable name")]
    // A final line break passed the name check ('$' matches before it): setup appended "SESSION_SALT" and "=value" as two
    // lines at every run, and hoist serve refused the file.
    [InlineData("setup:\n  secrets: [\"SESSION_SALT\\n\"]", "hoist.yml:7:13: setup.secrets[0]: 'SESSION_SALT")]
    [InlineData("setup:\n  secrets: [SECRET_KEY, SECRET_KEY]", "hoist.yml:7:25: setup.secrets[1]: SECRET_KEY is listed twice; remove one")]
    [InlineData("setup:\n  secrets: [DATABASE_URL]", "setup.secrets[0]: DATABASE_URL is written by setup from setup.database; remove it from setup.secrets")]
    [InlineData("setup:\n  secrets: [HOIST_KEY]", "setup.secrets[0]: HOIST_KEY: HOIST_ names are hoist serve's own")]
    [InlineData("setup:\n  secrets: { SECRET_KEY: 1 }", "setup.secrets")]
    [InlineData("env: { SECRET_KEY: \"${SECRET_KEY}\" }\nsecrets: [SECRET_KEY]\nsetup:\n  secrets: [SECRET_KEY]",
        "hoist.yml:9:13: setup.secrets[0]: SECRET_KEY is also under the top-level secrets:, whose value this machine gives at each deploy; setup.secrets are generated on the web hosts instead. Keep it in one")]
    [InlineData("env: { SECRET_KEY: abc }\nsetup:\n  secrets: [SECRET_KEY]", "setup.secrets[0]: SECRET_KEY is also set under env:")]
    public void Refuses_With_The_Line_The_Path_And_The_Fix(string tail, string expected)
    {
        var errors = TestConfig.Errors(Base + "\n" + tail + "\n", new() { ["HOME"] = "/home/me", ["SECRET_KEY"] = "from-this-machine-123" });

        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
    }
}
