namespace Hoist.Tests.Cli;

using Hoist.Tests.Support;

/// <summary><c>--batch</c> and <c>deploy.batch</c>/<c>deploy.canary</c> as the user meets them: the dry run's order, the errors.</summary>
public sealed class BatchOptionTests
{
    private const string Config = """
        app: demo
        repo: /srv/git/demo.git
        deploy_to: /srv/demo
        hosts:
          web: [10.0.0.1, 10.0.0.2, 10.0.0.3]
          lb: 10.0.0.9
        setup:
          nginx:
            server_name: demo.test
        deploy:
          canary: 1
        """;

    [Fact]
    public async Task Dry_Run_Shows_The_Canary_Then_The_Batches_Of_Batch_Option_And_The_Lb_Drain()
    {
        using var dir = new TempDir();
        dir.Write("hoist.yml", Config);

        var result = await HoistCli.RunAsync(dir.Path, "deploy", "--dry-run", "--batch", "50%");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("# switch order, each healthy before the next: canary (10.0.0.1), then batch 2 of 2 (10.0.0.2, 10.0.0.3); " +
            "on 10.0.0.9, each batch's web hosts are out of the upstream while it switches (lb-drain), then all back in (lb-restore)", result.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0", "error: --batch must be at least 1 host, got 0")]
    [InlineData("150%", "error: --batch must be between 1% and 100%, got 150%")]
    [InlineData("half", "error: --batch expected a number of hosts such as 2, or a share of them such as 25% (1% to 100%), got 'half'")]
    public async Task Bad_Batch_Option_Is_Refused_Before_Anything_Runs(string batch, string error)
    {
        using var dir = new TempDir();
        dir.Write("hoist.yml", Config);

        var result = await HoistCli.RunAsync(dir.Path, "rollback", "--dry-run", "--batch", batch);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(error, result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("# switch order", result.Stdout, StringComparison.Ordinal);
    }
}
