namespace Hoist.Tests.Cli;

using Hoist.Tests.Support;

/// <summary>The hoist executable's behaviour at its edges: help, bad input, unreachable hosts.</summary>
public sealed class CliTests : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    [Fact]
    public async Task Help_Lists_Every_Verb()
    {
        var result = await HoistCli.RunAsync(dir.Path, "--help");

        Assert.Equal(0, result.ExitCode);
        foreach (var verb in new[] { "deploy", "rollback", "releases", "status", "logs", "exec", "run", "check", "lock" })
        {
            Assert.Matches($@"(?m)^\s+{verb}\b", result.Stdout);
        }
    }

    [Fact]
    public async Task Missing_Config_Says_Where_It_Looked_And_What_To_Do()
    {
        var result = await HoistCli.RunAsync(dir.Path, "deploy");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"error: {Path.Combine(dir.Path, "hoist.yml")}: 'hoist.yml' not found in {dir.Path}; pass -c FILE to use another file\n", result.Stderr);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public async Task Every_Config_Error_Is_Reported_At_Once_Without_A_Stack_Trace()
    {
        dir.Write("hoist.yml", "app: Bad App\nrepo: /r\nupload: /u\nhosts:\n  web: [\"h:0\"]\nkeep_relases: 3\n");

        var result = await HoistCli.RunAsync(dir.Path, "deploy");

        Assert.Equal(2, result.ExitCode);
        var lines = result.Stderr.TrimEnd().Split('\n');
        Assert.True(lines.Length >= 4, result.Stderr);
        Assert.All(lines, l => Assert.StartsWith("error: " + Path.Combine(dir.Path, "hoist.yml") + ":", l));
        Assert.Contains(lines, l => l.Contains(":6:1: keep_relases: unknown key 'keep_relases'; did you mean 'keep_releases'?", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains(":5:9: hosts.web[0]:", StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", result.Stderr);
    }

    [Fact]
    public async Task Unreachable_Host_Is_Named_And_Nothing_Happens()
    {
        dir.Write("publish/a", "a");
        dir.Write("hoist.yml", $"app: a\nupload: ./publish\ndeploy_to: {dir.Combine("target")}\nhosts:\n  web: [127.0.0.1:1]\nssh: {{ key: {dir.Write("key", "not a key")} }}\n");
        await Run.ShellAsync($"rm {dir.Combine("key")} && ssh-keygen -q -t ed25519 -N '' -f {dir.Combine("key")}");

        var result = await HoistCli.RunAsync(dir.Path, "deploy");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: 127.0.0.1:1: cannot reach sshd on port 1", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
        Assert.False(Directory.Exists(dir.Combine("target")));

        var verbose = await HoistCli.RunAsync(dir.Path, "deploy", "--verbose");
        Assert.Contains("   at ", verbose.Stderr);
    }

    [Fact]
    public async Task Relative_Config_Path_Is_Resolved_Once()
    {
        dir.Write("sub/publish/a", "a");
        dir.Write("sub/hoist.yml", $"app: a\nupload: ./publish\ndeploy_to: {dir.Combine("target")}\nhosts:\n  web: [local]\n");

        var result = await HoistCli.RunAsync(dir.Path, "check", "-c", "sub/hoist.yml");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"config {dir.Combine("sub", "hoist.yml")}: ok", result.Stdout);
    }

    [Fact]
    public async Task Run_Without_A_Command_Is_A_Usage_Error()
    {
        dir.Write("hoist.yml", "app: a\nrepo: /r\nhosts:\n  web: [10.0.0.1]\n");

        var result = await HoistCli.RunAsync(dir.Path, "run");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("error: see `hoist run --help`", result.Stderr);
    }

    [Fact]
    public async Task Run_Dry_Run_Prints_Both_Channels_With_Secrets_Redacted_And_Connects_Nowhere()
    {
        dir.Write("hoist.yml", "app: a\nrepo: /r\nhosts:\n  web: [10.255.255.1]\nenv:\n  API_KEY: ${API_KEY}\nsecrets: [API_KEY]\n");

        var result = await HoistCli.RunAsync(dir.Path, new Dictionary<string, string> { ["API_KEY"] = "sk-live-0123456789" }, "run", "--owner", "--dry-run", "--", "flask", "shell");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("## run-stage", result.Stdout);
        Assert.Contains("export API_KEY='\\''[REDACTED]'\\''", result.Stdout);
        Assert.Contains("owner_url=$(env_value MIGRATE_DATABASE_URL", result.Stdout);
        Assert.Contains("eval '\\''flask shell'\\''", result.Stdout);
        Assert.Contains("# then, on a channel of its own", result.Stdout);
        Assert.DoesNotContain("sk-live-0123456789", result.All);
    }

    [Fact]
    public async Task Unknown_Role_Lists_The_Roles()
    {
        dir.Write("publish/a", "a");
        dir.Write("hoist.yml", "app: a\nupload: ./publish\nhosts:\n  web: [local]\n");

        var result = await HoistCli.RunAsync(dir.Path, "exec", "--role", "db", "--", "true");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no role 'db' in", result.Stderr);
        Assert.Contains("roles are: web", result.Stderr);
    }

    [Theory]
    [InlineData("--revert", "--commit")]
    [InlineData("--revert", "--reload")]
    [InlineData("--commit", "--reload")]
    [InlineData("--stop", "--status")]
    public async Task Serve_Refuses_Two_Actions_At_Once_Naming_Both_Before_Asking_Any_Server(string one, string other)
    {
        var result = await HoistCli.RunAsync(dir.Path, "serve", one, other);

        Assert.Equal(2, result.ExitCode);
        Assert.Matches($"^error: ({other} and {one}|{one} and {other}) cannot go together: hoist serve does one of ", result.Stderr);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public async Task Serve_Warns_At_Load_Of_An_Ini_Key_Taken_As_A_Placeholder_That_Nothing_Uses()
    {
        dir.Write("app.ini", $"[uwsgi]\nuser-home = /home/x\nproject = shop\nhttp-socket = 127.0.0.1:1\ncontrol-socket = {dir.Combine("none.ctl")}\ncommand = ./%(project)\n");

        var result = await HoistCli.RunAsync(dir.Path, "serve", "--ini", "app.ini", "--status");

        // --status then fails (no hoist serve runs there): the warning came first, at load, on stderr.
        Assert.NotEqual(0, result.ExitCode);
        Assert.StartsWith(
            "warning: app.ini:2:1: user-home: not a setting hoist serve knows; it is taken as a placeholder and used nowhere; remove it or use it as %(user-home)\n",
            result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("project:", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_Refuses_A_Hold_Past_A_Day_With_Exit_2()
    {
        var result = await HoistCli.RunAsync(dir.Path, "serve", "--reload", "--hold", "86401");

        Assert.Equal((2, "error: --hold 86401: a hold is a whole number of seconds from 1 to 86400 (one day) (e.g. --reload --hold 120)\n"), (result.ExitCode, result.Stderr));
    }

    [Theory]
    [InlineData("deploy")]
    [InlineData("rollback")]
    public async Task Deploy_And_Rollback_Help_Say_What_Ctrl_C_Does_During_The_Switch(string verb)
    {
        var result = await HoistCli.RunAsync(dir.Path, verb, "--help");
        var help = System.Text.RegularExpressions.Regex.Replace(result.Stdout, @"\s+", " ");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Ctrl-C (or SIGTERM) during the switch: the switches in flight finish", help, StringComparison.Ordinal);
        Assert.Contains("every switched host goes back to where it was", help, StringComparison.Ordinal);
        Assert.Contains("exit 130", help, StringComparison.Ordinal);
        Assert.Contains($"A second Ctrl-C exits at once (130) and leaves things as they are, printing what may be left (current may already point at the {verb}'s release", help, StringComparison.Ordinal);
    }
}
