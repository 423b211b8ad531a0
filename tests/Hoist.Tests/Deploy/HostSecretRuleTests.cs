namespace Hoist.Tests.Deploy;

using Hoist.Deploy;

public sealed class HostSecretRuleTests
{
    private static readonly IReadOnlySet<string> NoNames = new HashSet<string>();

    private static string[] Secrets(string line, IReadOnlySet<string>? names = null)
    {
        Assert.True(EnvReadings.TryRead(line, out var name, out var values));
        return HostSecretRule.SecretsOf(name, values, names ?? NoNames).Distinct().ToArray();
    }

    [Theory]
    [InlineData("APP_ENV=production")]
    [InlineData("FLASK_ENV=production")]
    [InlineData("MODE=release")]
    [InlineData("NAME=true")]
    [InlineData("DEBUG=false")]
    [InlineData("APP_ROOT=/tmp/a2/srv/att")]
    [InlineData("WORKERS=16")]
    [InlineData("SECRET_KEY=short")]
    [InlineData("ALLOWED_HOSTS=example.com,www.example.com")]
    [InlineData("RELEASE_NAME=release-2026-12-02")]
    public void Plain_Settings_And_Short_Values_Are_Not_Secrets(string line)
    {
        Assert.Empty(Secrets(line));
    }

    [Theory]
    [InlineData("SECRET_KEY=long-enough", "long-enough")]
    [InlineData("API_TOKEN=abcdefgh", "abcdefgh")]
    [InlineData("DB_PASSWORD=password", "password")]
    [InlineData("DB_PASS=hostonlysecretvalue", "hostonlysecretvalue")]
    [InlineData("SMTP_PASSWD=mailpass1", "mailpass1")]
    [InlineData("STRIPE_PRIVATE=sk_live_x", "sk_live_x")]
    [InlineData("AWS_ACCESS_KEY_ID=AKIAEXAMPLE", "AKIAEXAMPLE")]
    [InlineData("GCP_CREDENTIALS=credentials", "credentials")]
    [InlineData("BASIC_AUTH=user:pass1", "user:pass1")]
    [InlineData("HASH_SALT=saltsalt", "saltsalt")]
    [InlineData("SENTRY_DSN=https://abc@o1.ingest/2", "https://abc@o1.ingest/2")]
    [InlineData("session_secret=lowercase-name", "lowercase-name")]
    public void Values_Of_Secret_Names_Are_Secrets_From_8_Characters(string line, string secret)
    {
        Assert.Equal([secret], Secrets(line));
    }

    [Fact]
    public void A_Name_The_Config_Lists_As_Secret_Is_One_Whatever_It_Is_Called()
    {
        Assert.Equal(["plainword"], Secrets("STRIPE=plainword", new HashSet<string> { "STRIPE" }));
    }

    [Fact]
    public void A_Urls_Password_Is_A_Secret_Under_Any_Name()
    {
        Assert.Equal(["Pg-pa55word-x1"], Secrets("DATABASE_URL=postgresql://app:Pg-pa55word-x1@db:5432/mydb"));
    }

    [Theory]
    [InlineData("X=aB3dE5gH7jK9mN1p")]
    [InlineData("DIGEST=5f4dcc3b5aa765d61d8327deb882cf99")]
    public void Values_That_Look_Random_Are_Secrets_Under_Any_Name(string line)
    {
        Assert.Equal([line[(line.IndexOf('=') + 1)..]], Secrets(line));
    }

    [Theory]
    [InlineData("API_TOKEN=\"quotedsecret123\" # rotated in May", "quotedsecret123")]
    [InlineData("API_TOKEN='quotedsecret123'", "quotedsecret123")]
    [InlineData("export API_TOKEN=quotedsecret123", "quotedsecret123")]
    [InlineData("API_TOKEN=quotedsecret123   # rotated", "quotedsecret123")]
    [InlineData("API_TOKEN=\"quoted\\\"secret\"", "quoted\"secret")]
    public void The_Bare_Value_Is_A_Secret_However_The_Line_Writes_It(string line, string bare)
    {
        Assert.Contains(bare, Secrets(line));
    }

    [Fact]
    public void The_Literal_Reading_Is_Kept_Too_As_Hoist_Serve_Gives_It_To_Workers()
    {
        Assert.Contains("\"quotedsecret123\" # rotated", Secrets("API_TOKEN=\"quotedsecret123\" # rotated"));
    }

    [Theory]
    [InlineData("# a comment")]
    [InlineData("not an assignment")]
    [InlineData("")]
    public void Lines_That_Assign_Nothing_Are_Ignored(string line)
    {
        Assert.False(EnvReadings.TryRead(line, out _, out _));
    }
}
