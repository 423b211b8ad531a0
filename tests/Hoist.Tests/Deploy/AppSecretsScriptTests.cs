namespace Hoist.Tests.Deploy;

using Hoist.Deploy;
using Hoist.Shell;
using Hoist.Tests.Config;
using Hoist.Tests.Support;

public sealed class AppSecretsScriptTests
{
    private const string Yaml = """
        app: mysite
        repo: /srv/git/mysite.git
        deploy_to: /srv/mysite
        hosts:
          web: [root@10.0.0.1]
        build: python3 manage.py collectstatic --noinput
        migrate: python3 manage.py migrate
        setup:
          secrets: [DJANGO_SECRET_KEY, SESSION_SALT]
        """;

    [Fact]
    public void Exports_Each_Setup_Secret_From_Shared_Env_Into_A_Variable_Never_A_Literal()
    {
        var script = new ScriptBuilder("t");
        AppSecretsScript.Export(script, TestConfig.Valid(Yaml));

        var text = script.Build().Show();

        Assert.Contains("env_value() {", text, StringComparison.Ordinal);
        Assert.Contains("hoist_secret=$(env_value DJANGO_SECRET_KEY \"$D\"/shared/.env); if [ -n \"$hoist_secret\" ]; then export DJANGO_SECRET_KEY=\"$hoist_secret\"; fi", text, StringComparison.Ordinal);
        Assert.Contains("hoist_secret=$(env_value SESSION_SALT \"$D\"/shared/.env);", text, StringComparison.Ordinal);
        Assert.EndsWith("unset hoist_secret", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Adds_Nothing_Without_Setup_Secrets()
    {
        var script = new ScriptBuilder("t");
        AppSecretsScript.Export(script, TestConfig.Valid(TestConfig.Minimal));

        Assert.Equal("", script.Build().Show());
    }

    [Fact]
    public void The_Prepares_Build_And_The_Migration_Get_The_Setup_Secrets_Before_Their_Commands()
    {
        var config = TestConfig.Valid(Yaml);
        var prepare = ReleaseScripts.Prepare(config, new LockInfo("me", "token"), "20260102030405", sentRevision: null).Show();
        var migrate = MigrateScript.InDeploy(config, config.Migrate!, new LockInfo("me", "token"), "20260102030405").Show();

        foreach (var text in new[] { prepare, migrate })
        {
            var export = text.IndexOf("export DJANGO_SECRET_KEY=\"$hoist_secret\"", StringComparison.Ordinal);
            Assert.True(export > 0, text);
            Assert.True(export < text.IndexOf("python3 manage.py", StringComparison.Ordinal), text);
        }
    }

    [Fact]
    public async Task On_A_Host_The_Value_Is_Read_As_Written_And_A_Missing_File_Leaves_The_Variable_Unset()
    {
        using var dir = new TempDir("hoist-app-secrets");
        dir.Write("with/shared/.env", "DATABASE_URL=postgres://a:b@h/d\nexport DJANGO_SECRET_KEY=\"0123abcd\"\n");
        var script = new ScriptBuilder("t");
        AppSecretsScript.Export(script, TestConfig.Valid(Yaml));
        var body = script.Build().Show();

        string Probe(string root) => $"set -euo pipefail\nD={ShellQuote.Quote(root)}\n{body}\nprintf '%s|%s\\n' \"${{DJANGO_SECRET_KEY-unset}}\" \"${{SESSION_SALT-unset}}\"";
        var with = await Run.ProcessAsync("bash", ["-c", Probe(dir.Combine("with"))]);
        var without = await Run.ProcessAsync("bash", ["-c", Probe(dir.Combine("without"))]);

        Assert.Equal("0123abcd|unset\n", with.Stdout);
        Assert.Equal("unset|unset\n", without.Stdout);
        Assert.Equal(0, without.ExitCode);
    }

    [Fact]
    public async Task A_Hostile_Value_Is_Exported_Intact_Never_Run_And_A_Crlf_Line_Reads_As_Hoist_Serve_Reads_It()
    {
        // A shared/.env edited on Windows: hoist serve's EnvFile drops the \r and the spaces before it, and so must the
        // build, or DJANGO_SECRET_KEY there ends in \r (and keeps its quotes) while the app has it without.
        using var dir = new TempDir("hoist-app-secrets");
        var hostile = "a'b$HOME\\c$(touch " + dir.Combine("ran") + ")`touch " + dir.Combine("ran2") + "`";
        dir.Write("shared/.env", $"DJANGO_SECRET_KEY={hostile}\nSESSION_SALT=\"s3cr3t\"  \r\n");
        var script = new ScriptBuilder("t");
        AppSecretsScript.Export(script, TestConfig.Valid(Yaml));
        var body = script.Build().Show();

        var run = await Run.ProcessAsync("bash", ["-c", $"set -euo pipefail\nD={ShellQuote.Quote(dir.Path)}\n{body}\nprintf '%s|%s|\\n' \"$DJANGO_SECRET_KEY\" \"$SESSION_SALT\""]);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal($"{hostile}|s3cr3t|\n", run.Stdout);
        Assert.False(File.Exists(dir.Combine("ran")));
        Assert.False(File.Exists(dir.Combine("ran2")));
        var served = Hoist.Serve.Config.EnvFile.Read(dir.Combine("shared/.env"));
        Assert.Contains(served, kv => kv.Key == "SESSION_SALT" && kv.Value == "s3cr3t");
    }
}
