namespace Hoist.Tests.Config.Loading;

using Hoist.Config;

public sealed class DeployReaderTests
{
    [Fact]
    public void Defaults_To_No_Health_Url_And_Sixty_Seconds()
    {
        var config = TestConfig.Valid(TestConfig.Minimal);

        Assert.Equal(DeployConfig.Default, config.Deploy);
        Assert.Null(config.Deploy.HealthUrl);
        Assert.Equal(60, config.Deploy.HealthTimeoutSeconds);
    }

    [Fact]
    public void Reads_Health_Url_And_Timeout()
    {
        var config = TestConfig.Valid(TestConfig.Minimal + "\ndeploy: { health_url: /up, health_timeout: 5 }");

        Assert.Equal(new DeployConfig("/up", 5), config.Deploy);
    }

    [Fact]
    public void Rejects_A_Full_Url_A_Bad_Timeout_And_Unknown_Keys_All_At_Once()
    {
        var errors = TestConfig.Errors(TestConfig.Minimal + "\ndeploy: { health_url: 'http://a/up', health_timeout: 0, batch: 2 }");

        Assert.Contains(errors, e => e.Contains("deploy.health_url: 'http://a/up' must be a path starting with '/'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("deploy.health_timeout", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("deploy.batch: unknown key 'batch'", StringComparison.Ordinal));
        Assert.All(errors, e => Assert.StartsWith("hoist.yml:5:", e));
    }
}
