namespace Hoist.Tests.Config.Loading;

using Hoist.Config;
using Hoist.Tests.Config;

public sealed class EnvReaderTests
{
    private const string Head = "app: demo\nrepo: /srv/demo.git\nhosts: { web: 10.0.0.1 }\n";
    private const string Secret = "hunter2-correct-horse";

    private static Dictionary<string, string> WithSecret()
    {
        var environment = TestConfig.Environment();
        environment["SECRET_KEY"] = Secret;
        return environment;
    }

    [Fact]
    public void Hides_Secrets_AndKeepsOthersPlain()
    {
        var config = TestConfig.Valid(Head + """
            env: { FLASK_ENV: production, SECRET_KEY: "${SECRET_KEY}", WORKERS: 5 }
            secrets: [SECRET_KEY]
            """, WithSecret());

        Assert.Equal(["FLASK_ENV", "SECRET_KEY", "WORKERS"], config.Env.Select(e => e.Name));
        Assert.False(config.Env[0].Value.IsSecret);
        Assert.Equal("production", config.Env[0].Value.Reveal());
        Assert.True(config.Env[1].Value.IsSecret);
        Assert.Equal(Secret, config.Env[1].Value.Reveal());
        Assert.Equal("[REDACTED]", config.Env[1].Value.ToString());
        Assert.Equal("5", config.Env[2].Value.Reveal());
    }

    [Fact]
    public void Takes_Secret_FromEnvironment_WhenEnvLacksIt()
    {
        var config = TestConfig.Valid(Head + "secrets: SECRET_KEY", WithSecret());

        var variable = Assert.Single(config.Env);
        Assert.Equal("SECRET_KEY", variable.Name);
        Assert.True(variable.Value.IsSecret);
        Assert.Equal(Secret, variable.Value.Reveal());
    }

    [Fact]
    public void Hides_EnvValue_BuiltFromASecret()
    {
        var config = TestConfig.Valid(Head + """
            env: { DATABASE_URL: "postgres://app:${SECRET_KEY}@db/app" }
            secrets: [SECRET_KEY]
            """, WithSecret());

        Assert.True(config.Env.Single(e => e.Name == "DATABASE_URL").Value.IsSecret);
        Assert.True(config.Env.Single(e => e.Name == "SECRET_KEY").Value.IsSecret);
    }

    [Fact]
    public void Rejects_Secret_WithNoValue()
    {
        Assert.Equal(
            "hoist.yml:4:11: secrets[0]: secret API_TOKEN has no value; export API_TOKEN before deploying, or set it under env",
            TestConfig.Single(Head + "secrets: [API_TOKEN]"));
    }

    [Fact]
    public void Rejects_BadNames_NonScalarValues_AndDuplicateSecrets()
    {
        var errors = TestConfig.Errors(Head + """
            env:
              1BAD: x
              NESTED: { a: b }
            secrets: [SECRET_KEY, SECRET_KEY, bad-name]
            """, WithSecret());

        Assert.Equal(
            [
                "hoist.yml:5:3: env.1BAD: '1BAD' is not a valid variable name; use letters, digits and '_', not starting with a digit",
                "hoist.yml:6:11: env.NESTED: expected a single value (quote it to keep it a string), got a mapping",
                "hoist.yml:7:23: secrets[1]: secret SECRET_KEY is listed twice; remove one",
                "hoist.yml:7:35: secrets[2]: 'bad-name' is not a valid variable name; use letters, digits and '_', not starting with a digit",
            ],
            errors);
    }

    [Fact]
    public void Never_PutsSecretValue_InErrors()
    {
        var yaml = Head + """
            env: { SECRET_KEY: "${SECRET_KEY}" }
            secrets: [SECRET_KEY]
            keep_releases: ${SECRET_KEY}
            deploy_to: THE_SECRET
            reload: ["${SECRET_KEY}"]
            """;

        var errors = TestConfig.Errors(yaml.Replace("THE_SECRET", Secret, StringComparison.Ordinal), WithSecret());

        Assert.Equal(
            [
                "hoist.yml:6:16: keep_releases: uses secret SECRET_KEY, which would then show in plain text; only env values may use secrets (commands read them as $SECRET_KEY)",
                "hoist.yml:7:12: deploy_to: '[REDACTED]' must be an absolute path or start with '~/'; did you mean '~/[REDACTED]'?",
                "hoist.yml:8:9: reload: expected one shell command, got a list",
            ],
            errors);
    }

    [Fact]
    public void Rejects_Secret_InterpolatedOutsideEnv()
    {
        Assert.Equal(
            "hoist.yml:5:9: build[0]: uses secret SECRET_KEY, which would then show in plain text; only env values may use secrets (commands read them as $SECRET_KEY)",
            TestConfig.Single(Head + "secrets: [SECRET_KEY]\nbuild: [\"curl -H ${SECRET_KEY}\"]", WithSecret()));
    }

    [Fact]
    public void Rejects_Secret_Shorter_Than_8_Characters_Naming_The_Key_Its_Line_And_Why()
    {
        var environment = TestConfig.Environment();
        environment["TOKEN"] = "abc1234";

        var errors = TestConfig.Errors(Head + "env: { SECRET_KEY: x, EMPTY: \"\", LONG: 12345678 }\nsecrets: [SECRET_KEY, TOKEN, EMPTY, LONG]", environment);

        const string why = "a secret needs at least 8 characters (a shorter one is guessable, and Hoist hides every occurrence of it in what it prints, which would cut every message into [REDACTED] pieces)";
        Assert.Equal(
            [
                $"hoist.yml:4:20: env.SECRET_KEY: secret SECRET_KEY is 1 character long; {why}; make the value longer",
                $"hoist.yml:4:30: env.EMPTY: secret EMPTY is empty; {why}; make the value longer",
                $"hoist.yml:5:23: secrets[1]: secret TOKEN is 7 characters long; {why}; make the TOKEN this machine exports longer",
            ],
            errors);
        Assert.DoesNotContain(errors, e => e.Contains("abc1234", StringComparison.Ordinal));
    }
}
