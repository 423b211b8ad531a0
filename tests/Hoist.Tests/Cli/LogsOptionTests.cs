namespace Hoist.Tests.Cli;

using Hoist.Tests.Support;

/// <summary>hoist logs' options as the user meets them: each bad one refused (exit 2) before any host is contacted.</summary>
public sealed class LogsOptionTests
{
    // 192.0.2.1 (TEST-NET-1) is never reached: a refusal that connected first would time out, not exit 2 at once.
    private const string Config = """
        app: demo
        repo: /srv/git/demo.git
        deploy_to: /srv/demo
        hosts:
          web: [192.0.2.1]
        """;

    [Theory]
    [InlineData(new[] { "-n", "0" }, "error: -n/--lines must be a whole number from 1 to 100000, not '0'")]
    [InlineData(new[] { "-n", "100001" }, "error: -n/--lines must be a whole number from 1 to 100000, not '100001'")]
    [InlineData(new[] { "-n", "ten" }, "error: -n/--lines must be a whole number from 1 to 100000, not 'ten'")]
    [InlineData(new[] { "--since", "yesterday" }, "error: --since 'yesterday' is neither an age (30s, 10m, 2h, 1d) nor an ISO 8601 time")]
    [InlineData(new[] { "--grep", "" }, "error: --grep needs a pattern")]
    [InlineData(new[] { "--grep", "a\nb" }, "error: --grep holds a control character")]
    public async Task Bad_Options_Exit_2_Naming_The_Option(string[] args, string error)
    {
        using var dir = new TempDir();
        dir.Write("hoist.yml", Config);

        var result = await HoistCli.RunAsync(dir.Path, ["logs", .. args]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(error, result.Stderr, StringComparison.Ordinal);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public async Task A_Config_With_Nothing_To_Read_Says_What_To_Set()
    {
        using var dir = new TempDir();
        dir.Write("hoist.yml", Config);

        var result = await HoistCli.RunAsync(dir.Path, "logs");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("has nothing for hoist logs to read: no serve.logto and no setup: (the unit's journal); set serve.logto, or pass --nginx", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_Of_Status_And_Logs_Gives_The_Exit_Codes()
    {
        using var dir = new TempDir();

        var status = await HoistCli.RunAsync(dir.Path, "status", "--help");
        var logs = await HoistCli.RunAsync(dir.Path, "logs", "--help");

        Assert.Contains("Exit codes: 0 every host healthy; 1 a host is unhealthy", System.Text.RegularExpressions.Regex.Replace(status.Stdout, @"\s+", " "), StringComparison.Ordinal);
        Assert.Contains("--json", status.Stdout, StringComparison.Ordinal);
        Assert.Contains("--follow", logs.Stdout, StringComparison.Ordinal);
        Assert.Contains("--since", logs.Stdout, StringComparison.Ordinal);
    }
}
