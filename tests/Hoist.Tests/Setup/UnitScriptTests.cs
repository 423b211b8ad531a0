namespace Hoist.Tests.Setup;

using Hoist.Setup;
using Hoist.Tests.Config;
using Hoist.Tests.Support;

/// <summary>The unit's shell functions, run by a real bash (systemctl itself only runs on the machine tests).</summary>
public sealed class UnitScriptTests
{
    [Fact]
    public async Task Journal_Lines_Show_Every_Env_Value_And_Url_Password_As_Redacted()
    {
        using var dir = new TempDir("hoist-unit-script");
        var env = dir.Write(".env", "DATABASE_URL=postgresql://app:Abc123pw9@10.0.0.3:5432/mydb\nSECRET_KEY=\"s3cr3t value\"\nDEBUG=1\n# note\n");
        var lines = "worker 1: cannot connect to postgresql://app:Abc123pw9@10.0.0.3:5432/mydb\nkey s3cr3t value, password Abc123pw9, DEBUG=1\n";
        var script = $"as_root() {{ \"$@\"; }}\n{UnitScript.Functions}\nprintf '%s' {Hoist.Shell.ShellQuote.Quote(lines)} | hide_env_values {Hoist.Shell.ShellQuote.Quote(env)}\n";

        var result = await Run.ProcessAsync("bash", ["-c", script]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("worker 1: cannot connect to [REDACTED]\nkey [REDACTED], password [REDACTED], DEBUG=1\n", result.Stdout);
    }

    [Fact]
    public async Task Deploys_Reload_Command_Is_Valid_Bash_And_Fails_Loudly_Through_Unit_Do()
    {
        var config = TestConfig.Valid("""
            app: myproject
            repo: /srv/repo.git
            deploy_to: /srv/myproject
            hosts: { web: [10.0.0.2] }
            serve: { command: "dotnet App.dll", socket: /srv/myproject/shared/run/app.sock, chdir: /srv/myproject/current }
            setup: {}
            """);

        var command = SetupScripts.ReloadCommand(config);
        var syntax = await Run.ProcessAsync("bash", ["-n", "-c", command]);

        Assert.True(syntax.ExitCode == 0, syntax.ToString());
        Assert.EndsWith(
            "if [ -d /run/systemd/system ] && systemctl is-enabled -q myproject.service 2>/dev/null; then unit_do reload-or-restart myproject.service /srv/myproject/shared/.env; " +
            "else as_app /usr/local/bin/hoist serve --ini /srv/myproject/shared/serve.ini --daemon; fi", command, StringComparison.Ordinal);
    }
}
