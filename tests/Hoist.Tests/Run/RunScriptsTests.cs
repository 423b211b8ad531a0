namespace Hoist.Tests.Run;

using Hoist.Config;
using Hoist.Run;
using Hoist.Tests.Config;
using Hoist.Tests.Support;

public sealed class RunScriptsTests
{
    private const string Yaml = """
        app: myapp
        repo: /srv/git/myapp.git
        deploy_to: /srv/myapp
        hosts:
          web: [root@10.0.0.1, root@10.0.0.2]
          db: root@10.0.0.9
        env:
          DJANGO_SETTINGS_MODULE: myapp.settings
          API_KEY: ${API_KEY}
        secrets: [API_KEY]
        setup:
          user: myappuser
        """;

    private static HoistConfig Config() => TestConfig.Valid(Yaml, new Dictionary<string, string>(TestConfig.Environment()) { ["API_KEY"] = "sk-live-0123456789" });

    [Fact]
    public void App_Script_Loads_The_Env_Then_Evals_The_Command_In_Current() =>
        Golden.Match("run-app.sh", RunScripts.App(Config(), "python3 manage.py createsuperuser", owner: false).Show());

    [Fact]
    public void With_A_Release_Venv_The_Command_Runs_As_In_An_Activated_Venv_And_Without_One_On_The_Hosts_Path()
    {
        var venv = TestConfig.Valid(Yaml + "\npython: { venv: true, system_site_packages: true }", new Dictionary<string, string>(TestConfig.Environment()) { ["API_KEY"] = "sk-live-0123456789" });

        var with = RunScripts.App(venv, "flask --app flaskr init-db", owner: false).Show();
        var without = RunScripts.App(Config(), "flask --app flaskr init-db", owner: false).Show();

        const string Activate = "export VIRTUAL_ENV=\"$HOIST_RELEASE_PATH\"/venv PATH=\"$HOIST_RELEASE_PATH\"/venv/bin:\"$PATH\"";
        Assert.Contains(Activate, with, StringComparison.Ordinal);
        // After the release's resolved path is known, before the command.
        Assert.True(with.IndexOf("export HOIST_RELEASE_PATH=", StringComparison.Ordinal) < with.IndexOf(Activate, StringComparison.Ordinal));
        Assert.True(with.IndexOf(Activate, StringComparison.Ordinal) < with.IndexOf("flask --app", StringComparison.Ordinal));
        Assert.DoesNotContain("VIRTUAL_ENV", without, StringComparison.Ordinal);
    }

    [Fact]
    public void Stage_Script_With_Owner_Reads_The_Owner_Url_And_Writes_The_App_Script_Redacted_When_Shown() =>
        Golden.Match("run-stage-owner.sh", RunScripts.Stage(Config(), "flask shell", owner: true).Show());

    [Fact]
    public void Stop_Script_Terms_Then_Kills_The_Process_Groups_Of_The_App_Script_As_Root_Or_Through_Sudo() =>
        Golden.Match("run-stop.sh", RunScripts.Stop(Config(), "/tmp/hoist-run.AbCdE12345").Show());

    [Fact]
    public void Secrets_Are_In_The_Stage_Script_Only_When_Revealed()
    {
        var stage = RunScripts.Stage(Config(), "true", owner: false);

        Assert.Contains("sk-live-0123456789", stage.Render(reveal: true), StringComparison.Ordinal);
        Assert.DoesNotContain("sk-live-0123456789", stage.Render(reveal: false), StringComparison.Ordinal);
        Assert.DoesNotContain("sk-live-0123456789", stage.Show(), StringComparison.Ordinal);
    }

    [Fact]
    public void Without_Setup_The_User_Is_The_App()
    {
        var config = TestConfig.Valid(TestConfig.Minimal);

        Assert.Equal("demo", RunScripts.User(config));
        Assert.Equal("myappuser", RunScripts.User(Config()));
    }

    [Fact]
    public void Attach_As_Root_Is_Setpriv_With_The_Ids_And_Otherwise_Sudo()
    {
        Assert.Equal(
            "setpriv --reuid=1001 --regid=1002 --init-groups --reset-env -- bash /tmp/hoist-run.AbC0123xyz",
            RunScripts.Attach(new RunReport("/tmp/hoist-run.AbC0123xyz", "1001", "1002", "setpriv", null), "myappuser"));
        Assert.Equal(
            "sudo -n -u myappuser -- bash /tmp/hoist-run.AbC0123xyz",
            RunScripts.Attach(new RunReport("/tmp/hoist-run.AbC0123xyz", "1001", "1002", "sudo", null), "myappuser"));
    }

    [Theory]
    [InlineData("/tmp/hoist-run.AbC0123xyz; rm -rf ~", "1", "1", "setpriv")]
    [InlineData("/etc/passwd", "1", "1", "setpriv")]
    [InlineData(null, "1", "1", "setpriv")]
    [InlineData("/tmp/hoist-run.AbC0123xyz", "1 --x", "1", "setpriv")]
    [InlineData("/tmp/hoist-run.AbC0123xyz", "1", "", "setpriv")]
    [InlineData("/tmp/hoist-run.AbC0123xyz", "1", "1", "su")]
    public void Attach_Refuses_What_The_Stage_Script_Does_Not_Report(string? file, string uid, string gid, string via) =>
        Assert.Throws<FormatException>(() => RunScripts.Attach(new RunReport(file, uid, gid, via, null), "myappuser"));
}
