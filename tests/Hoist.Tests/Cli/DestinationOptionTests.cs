namespace Hoist.Tests.Cli;

using Hoist.Tests.Support;

/// <summary>-d/--destination at the command line: where it may go, what it refuses, what a dry run says.</summary>
public sealed class DestinationOptionTests : IDisposable
{
    private readonly TempDir dir = new();

    public DestinationOptionTests()
    {
        dir.Write("hoist.yml", $"app: demo\nupload: .\ndeploy_to: {dir.Combine("prod")}\nhosts:\n  web: [local]\n");
        dir.Write("hoist.staging.yml", $"deploy_to: {dir.Combine("staging")}\n");
    }

    public void Dispose() => dir.Dispose();

    [Theory]
    [InlineData("-d", "staging", "deploy", "--dry-run")]
    [InlineData("deploy", "--destination", "staging", "-n")]
    public async Task Dry_Run_Says_The_Destination_First_And_Its_Audit_Line_Carries_It(params string[] args)
    {
        var result = await HoistCli.RunAsync(dir.Path, args);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal($"destination staging: {dir.Combine("hoist.yml")} + hoist.staging.yml", result.Stdout.Split('\n')[0]);
        Assert.Contains($"D={dir.Combine("staging")}", result.Stdout);
        Assert.DoesNotContain($"D={dir.Combine("prod")}", result.Stdout);
        Assert.Matches(@" deploy destination=staging release=\d{14} ", result.Stdout);
        Assert.False(Directory.Exists(dir.Combine("staging")));
    }

    [Fact]
    public async Task Without_D_Nothing_Mentions_A_Destination()
    {
        var result = await HoistCli.RunAsync(dir.Path, "deploy", "--dry-run");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain("destination", result.Stdout);
        Assert.Contains($"D={dir.Combine("prod")}", result.Stdout);
    }

    [Fact]
    public async Task Bad_Name_Exits_2_Before_Reading_Anything()
    {
        var result = await HoistCli.RunAsync(dir.Path, "-d", "../etc", "deploy", "--dry-run");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("-d/--destination: '../etc' is not a destination name", result.Stderr);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public async Task Overlay_Error_Exits_2_Naming_The_Overlay_File()
    {
        dir.Write("hoist.broken.yml", "\nhostz: [local]\n");

        var result = await HoistCli.RunAsync(dir.Path, "-d", "broken", "deploy");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"error: {dir.Combine("hoist.broken.yml")}:2:1: hostz: unknown key 'hostz'; did you mean 'hosts'?\n", result.Stderr);
        Assert.False(Directory.Exists(dir.Combine("prod")));
    }

    [Fact]
    public async Task Serve_Refuses_D()
    {
        var result = await HoistCli.RunAsync(dir.Path, "-d", "staging", "serve", "--status");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("hoist serve reads one file (--ini, or -c hoist.yml's serve:) and takes no -d", result.Stderr);
    }

    [Fact]
    public async Task Help_Describes_D()
    {
        var result = await HoistCli.RunAsync(dir.Path, "deploy", "--help");

        Assert.Contains("-d, --destination <NAME>", result.Stdout);
    }
}
