namespace Hoist.Tests.Integration;

using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// `hosts: [local]` and `hoist setup` as a user who is not root: setup's scripts run through `sudo -n` on this machine,
/// as a real throwaway user (the dry run changes nothing on the machine).
/// </summary>
public sealed class LocalSudoSetupTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Setup_On_The_Local_Host_As_A_Sudo_User_Runs_Through_Sudo_And_A_Password_Prompt_Fails_At_Once()
    {
        using var dir = new TempDir("hoist-local-sudo");
        var user = $"hoistsudo{Environment.ProcessId % 100000}";
        var sudoers = $"/etc/sudoers.d/{user}";
        try
        {
            await Run.ShellAsync($"useradd -m -s /bin/bash {user} && echo '{user} ALL=(ALL) NOPASSWD:ALL' > {sudoers} && chmod 440 {sudoers}");
            File.SetUnixFileMode(dir.Path, (UnixFileMode)0b111_101_101);
            Directory.CreateDirectory(dir.Combine("site"));
            var deployTo = dir.Combine("srv");
            dir.Write("hoist.yml", $"""
                app: sudoprobe
                upload: ./site
                deploy_to: {deployTo}
                hosts:
                  web: [local]
                serve:
                  socket: {deployTo}/shared/run/app.sock
                  chdir: {deployTo}/current
                  command: exec true
                setup:
                  service: direct
                  hoist_path: {dir.Combine("bin", "hoist")}
                """);

            var allowed = await AsUserAsync(user, dir.Path);
            File.Delete(sudoers);
            var refused = await AsUserAsync(user, dir.Path);
            output.WriteLine($"passwordless sudo: exit {allowed.ExitCode}\n{allowed.Stdout.Trim()}\n{allowed.Stderr.Trim()}");
            output.WriteLine($"sudo wanting a password: exit {refused.ExitCode}\n{refused.Stdout.Trim()}\n{refused.Stderr.Trim()}");

            Assert.True(allowed.ExitCode == 0, allowed.ToString());
            Assert.Contains("local: would change", allowed.Stdout, StringComparison.Ordinal);
            Assert.False(Directory.Exists(deployTo), "a dry run made deploy_to");
            Assert.Equal(1, refused.ExitCode);
            Assert.Contains("sudo: a password is required", refused.Stdout + refused.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(sudoers);
            await Run.ProcessAsync("userdel", ["-r", user]);
        }
    }

    /// <summary>`hoist setup --dry-run` as <paramref name="user"/>, with no terminal, bounded: a sudo that reads one would hang.</summary>
    private static Task<RunResult> AsUserAsync(string user, string folder) =>
        Run.ProcessAsync("runuser", ["-u", user, "--", "dotnet", HoistCli.Dll, "setup", "--dry-run"], folder, timeout: TimeSpan.FromSeconds(120));
}
