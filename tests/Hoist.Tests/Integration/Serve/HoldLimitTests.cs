namespace Hoist.Tests.Integration.Serve;

using Hoist.Serve.Control;
using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>A hold is bounded (a day) on the command line and at the control socket, and a status after a commit holds nothing.</summary>
public sealed class HoldLimitTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_Hold_Past_A_Day_Is_Refused_By_The_Cli_With_Exit_2_And_By_The_Server_Which_Reloads_Nothing()
    {
        using var dir = new TempDir("hoist-hold-limit");
        var (ini, socket) = CommandIni.Write(dir, 1, PidApp.Write(dir), $"logto = {dir.Combine("serve.log")}");
        await using var serve = await ServeProcess.StartAsync(ini, socket + ".ctl", ready: 1, dir.Combine("serve.log"));

        var cli = await serve.CliAsync("--reload", "--hold", "86401");
        var asked = System.Text.Json.JsonDocument.Parse(await ControlClient.AskAsync(serve.ControlSocket, "reload hold=86401", TimeSpan.FromSeconds(30))).RootElement;
        var status = await serve.StatusAsync();
        output.WriteLine($"--reload --hold 86401: exit {cli.ExitCode}, {cli.Stderr.Trim()}\nreload hold=86401 on the socket: {asked}");

        Assert.Equal(2, cli.ExitCode);
        Assert.Equal("error: --hold 86401: a hold is a whole number of seconds from 1 to 86400 (one day) (e.g. --reload --hold 120)\n", cli.Stderr);
        Assert.False(asked.GetProperty("ok").GetBoolean());
        Assert.Equal("refused 'reload hold=86401': a hold is a whole number of seconds from 1 to 86400 (one day); nothing was reloaded", asked.GetProperty("message").GetString());
        Assert.Equal((1, 0, (DateTimeOffset?)null), (status.Generation, status.Reloads, status.HeldUntil));
    }

    [Fact]
    public async Task After_A_Commit_The_Status_Says_Nothing_Is_Held()
    {
        using var dir = new TempDir("hoist-hold-commit");
        var (ini, socket) = CommandIni.Write(dir, 1, PidApp.Write(dir), $"logto = {dir.Combine("serve.log")}");
        await using var serve = await ServeProcess.StartAsync(ini, socket + ".ctl", ready: 1, dir.Combine("serve.log"));
        var reload = await serve.CliAsync("--reload", "--hold", "600");
        Assert.True(reload.ExitCode == 0, reload + serve.Log());
        var whileHeld = await serve.CliAsync("--status");

        var commit = await serve.CliAsync("--commit");
        var after = await serve.CliAsync("--status");
        output.WriteLine($"--reload --hold 600: {reload.Stdout.Trim()}\n--status while held:\n{whileHeld.Stdout}\n--commit: {commit.Stdout.Trim()}\n--status after:\n{after.Stdout}");

        Assert.Contains("held: the previous generation's workers, until", whileHeld.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, commit.ExitCode);
        Assert.Equal(0, after.ExitCode);
        Assert.DoesNotContain("held", after.Stdout, StringComparison.Ordinal);
    }
}
