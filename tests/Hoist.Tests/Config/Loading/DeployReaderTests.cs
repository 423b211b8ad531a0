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
        var errors = TestConfig.Errors(TestConfig.Minimal + "\ndeploy: { health_url: 'http://a/up', health_timeout: 0, batches: 2 }");

        Assert.Contains(errors, e => e.Contains("deploy.health_url: 'http://a/up' must be a path starting with '/'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("deploy.health_timeout", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("deploy.batches: unknown key 'batches'", StringComparison.Ordinal));
        Assert.All(errors, e => Assert.StartsWith("hoist.yml:5:", e));
    }

    [Fact]
    public void Reads_A_Batch_As_A_Count_Or_A_Share_And_A_Canary()
    {
        Assert.Equal(new DeployConfig(null, 60, new BatchSize(1, false), 1), TestConfig.Valid(TestConfig.Minimal + "\ndeploy: { batch: 1, canary: 1 }").Deploy);
        Assert.Equal(new BatchSize(25, true), TestConfig.Valid(TestConfig.Minimal + "\ndeploy: { batch: 25% }").Deploy.Batch);
    }

    [Fact]
    public void Rejects_Batch_0_Or_150_Percent_And_A_Canary_Of_2_At_Their_Lines()
    {
        var zero = TestConfig.Errors(TestConfig.Minimal + "\ndeploy:\n  batch: 0\n  canary: 2");
        var share = TestConfig.Errors(TestConfig.Minimal + "\ndeploy:\n  batch: 150%");

        Assert.Contains(zero, e => e.StartsWith("hoist.yml:6:", StringComparison.Ordinal) && e.Contains("deploy.batch: must be at least 1 host, got 0", StringComparison.Ordinal));
        Assert.Contains(zero, e => e.StartsWith("hoist.yml:7:", StringComparison.Ordinal) && e.Contains("deploy.canary: must be between 0 and 1, got 2", StringComparison.Ordinal));
        Assert.Contains(share, e => e.StartsWith("hoist.yml:6:", StringComparison.Ordinal) && e.Contains("deploy.batch: must be between 1% and 100%, got 150%", StringComparison.Ordinal));
    }
}
