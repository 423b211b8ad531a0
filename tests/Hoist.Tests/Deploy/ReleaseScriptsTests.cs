namespace Hoist.Tests.Deploy;

using Hoist.Config;
using Hoist.Deploy;
using Hoist.Shell;
using Hoist.Tests.Config;
using Hoist.Tests.Support;

public sealed class ReleaseScriptsTests
{
    private static readonly LockInfo Lock = new("me@box (pid 42) since 2026-01-02T03:04:05Z: deploy", "token123");

    private static HoistConfig Config(SourceConfig source) => new(
        App: "myapp",
        Source: source,
        DeployTo: "~/apps/my app",
        KeepReleases: 5,
        Roles: [new RoleConfig("web", [new HostConfig("10.0.0.5", 22, "deploy", false)])],
        Ssh: new SshConfig("deploy", 22, null, "/k", false, TimeSpan.FromSeconds(10)),
        Shared: ["media", ".env", "config/settings.json"],
        Build: ["make assets", "echo \"$SECRET\" | wc -c"],
        Reload: "touch shared/reload",
        Env: [new EnvVar("MODE", ShellValue.Plain("production")), new EnvVar("SECRET", ShellValue.Hidden("hunter2"))],
        ConfigPath: "/p/hoist.yml");

    [Fact]
    public void Prepare_From_Git() =>
        Golden.Match("prepare-git.sh", ReleaseScripts.Prepare(Config(new GitSource("git@example.com:me/app.git", "main")), Lock, "20260102030405", null).Show());

    [Fact]
    public void Prepare_From_Upload() =>
        Golden.Match("prepare-upload.sh", ReleaseScripts.Prepare(Config(new UploadSource("/p/publish")), Lock, "20260102030405", "upload-abc").Show());

    [Fact]
    public void Prepare_From_A_Local_Commit_Reads_The_Tar_On_Stdin_And_Never_Runs_Git() =>
        Golden.Match("prepare-local.sh", ReleaseScripts.Prepare(
            Config(new LocalGitSource("git@example.com:me/private.git", "main")), Lock, "20260102030405", "0123456789abcdef0123456789abcdef01234567").Show());

    [Fact]
    public void Prepare_With_Python_Venv_Makes_It_And_Installs_The_Requirements_Before_The_Build() =>
        Golden.Match("prepare-venv.sh", ReleaseScripts.Prepare(
            Config(new UploadSource("/p/publish")) with { Python = new PythonConfig(true, "requirements/prod list.txt", SystemSitePackages: true) },
            Lock, "20260102030405", "upload-abc").Show());

    [Fact]
    public void Prepare_With_A_Venv_And_No_Requirements_Runs_No_Pip()
    {
        var script = ReleaseScripts.Prepare(
            Config(new UploadSource("/p/publish")) with { Python = new PythonConfig(true, null, SystemSitePackages: false) }, Lock, "20260102030405", "upload-abc").Show();

        Assert.Contains("eval 'python3 -m venv venv'", script, StringComparison.Ordinal);
        Assert.DoesNotContain("pip install", script, StringComparison.Ordinal);
    }

    [Fact]
    public void Prepare_Without_Python_Venv_Makes_None() =>
        Assert.DoesNotContain("venv", ReleaseScripts.Prepare(
            Config(new UploadSource("/p/publish")) with { Python = new PythonConfig(false, null, false) }, Lock, "20260102030405", "upload-abc").Show(), StringComparison.Ordinal);

    [Fact]
    public void Check_With_Fetch_Local_Asks_No_Host_For_Git_Or_The_Repository()
    {
        var check = Hoist.Check.Checker.Build(Config(new LocalGitSource("git@example.com:me/private.git", "main")), new HostConfig("10.0.0.5", 22, "deploy", false)).Show();

        Assert.DoesNotContain("git", check, StringComparison.Ordinal);
        Assert.Contains("for t in bash tar;", check, StringComparison.Ordinal);
    }

    [Fact]
    public void Switch_Renames_Reloads_And_Asks_Health_Keeping_The_Lock() =>
        Golden.Match("switch.sh", ReleaseScripts.Switch(
            Gated(Config(new GitSource("/r", "main"))),
            new SwitchPlan("20260102030405", ["20250101000000", "20250202000000"], null, "2026-01-02T03:04:05Z me@box deploy release=20260102030405", "20250202000000"),
            Lock).Show());

    [Fact]
    public void Switch_For_A_Rollback_Leaves_The_Bad_Mark_To_The_Commit() =>
        Golden.Match("switch-rollback.sh", ReleaseScripts.Switch(
            Config(new GitSource("/r", "main")) with { Reload = null },
            new SwitchPlan("20250101000000", [], "20260102030405", "2026-01-02T03:04:05Z me@box rollback release=20250101000000", "20260102030405"),
            Lock).Show());

    [Fact]
    public void Commit_Marks_Bad_Records_History_Prunes_Audits_And_Unlocks() =>
        Golden.Match("commit.sh", GateScripts.Commit(
            Config(new GitSource("/r", "main")),
            new SwitchPlan("20250101000000", ["20240101000000"], "20260102030405", "2026-01-02T03:04:05Z me@box rollback release=20250101000000", "20260102030405"),
            Lock).Show());

    [Fact]
    public void Revert_Renames_Back_Reloads_Marks_Bad_Audits_And_Unlocks() =>
        Golden.Match("revert.sh", GateScripts.Revert(
            Config(new GitSource("/r", "main")),
            new SwitchPlan("20260102030405", [], null, "2026-01-02T03:04:05Z me@box deploy release=20260102030405", "20250202000000"),
            Lock, "2026-01-02T03:04:06Z me@box revert deploy release=20260102030405 back=20250202000000 reason=web2: not healthy").Show());

    [Fact]
    public void Revert_Of_A_First_Deploy_Has_Nothing_To_Go_Back_To() =>
        Golden.Match("revert-first.sh", GateScripts.Revert(
            Config(new GitSource("/r", "main")),
            new SwitchPlan("20260102030405", [], null, "2026-01-02T03:04:05Z me@box deploy release=20260102030405"),
            Lock, "2026-01-02T03:04:06Z me@box revert deploy release=20260102030405 back=- reason=web2: not healthy").Show());

    [Fact]
    public void With_Setups_Service_The_Switch_Reloads_With_A_Hold_The_Commit_Ends_It_And_The_Revert_Puts_The_Held_Workers_Back()
    {
        var config = Serviced();
        var plan = new SwitchPlan("20260102030405", [], null, "2026-01-02T03:04:05Z me@box deploy release=20260102030405", "20250202000000");
        Golden.Match("switch-serve.sh", ReleaseScripts.Switch(config, plan, Lock).Show());
        Golden.Match("commit-serve.sh", GateScripts.Commit(config, plan, Lock).Show());
        Golden.Match("revert-serve.sh", GateScripts.Revert(config, plan, Lock, "2026-01-02T03:04:06Z me@box revert deploy release=20260102030405 back=20250202000000 reason=web2: not healthy").Show());
    }

    private static HoistConfig Serviced() => TestConfig.Valid("""
        app: myproject
        repo: /srv/repo.git
        deploy_to: /srv/myproject
        hosts: { web: [10.0.0.2] }
        serve: { command: "dotnet App.dll", socket: /srv/myproject/shared/run/app.sock, chdir: /srv/myproject/current }
        setup: {}
        deploy: { health_timeout: 30 }
        """);

    private static HoistConfig Gated(HoistConfig config) => config with { Deploy = new DeployConfig("/up?full=1", 7) };

    [Fact]
    public void Audit_Line_Stays_One_Line_Whatever_Its_Fields_Hold()
    {
        var script = ReleaseScripts.Switch(
            Config(new GitSource("/r", "main")) with { Reload = null },
            new SwitchPlan("20260102030405", [], null, "2026-01-02T03:04:05Z me@box deploy message=a\nforged line \u001b[2J"),
            Lock).Show();

        Assert.Contains(@"printf '%s\n' '2026-01-02T03:04:05Z me@box deploy message=a\x0aforged line \x1b[2J' > ""$D""/.hoist/lock/audit", script);
    }

    [Fact]
    public void Abort_Stops_The_Holder_Removes_This_Runs_Release_And_Unlocks() =>
        Golden.Match("abort.sh", ReleaseScripts.Abort(Config(new GitSource("/r", "main")), Lock).Show());

    [Fact]
    public void Exec_Runs_In_Current_With_The_Env() =>
        Golden.Match("exec.sh", Hoist.Exec.Executor.Build(Config(new GitSource("/r", "main")), "df -h /").Show());

    [Fact]
    public void Check_Looks_For_Tools_Writability_And_The_Branch() =>
        Golden.Match("check.sh", Hoist.Check.Checker.Build(Config(new GitSource("/srv/git/app.git", "main")), new HostConfig("10.0.0.5", 22, "deploy", false)).Show());

    [Fact]
    public void Rendered_Scripts_Carry_The_Secret_Only_When_Revealed()
    {
        var prepare = ReleaseScripts.Prepare(Config(new GitSource("/r", "main")), Lock, "20260102030405", null);

        Assert.DoesNotContain("hunter2", prepare.Show());
        Assert.Contains("export SECRET=hunter2", prepare.Render(reveal: true));
    }

    [Fact]
    public async Task Rendered_Scripts_Are_Valid_Bash()
    {
        using var dir = new TempDir();
        var plan = new SwitchPlan("20260102030405", ["20250101000000"], "20240101000000", "a line", "20250101000000");
        var config = Gated(Config(new GitSource("/r", "main")));
        Script[] scripts =
        [
            ReleaseScripts.Prepare(config, Lock, "1", null), ReleaseScripts.Switch(config, plan, Lock),
            GateScripts.Commit(config, plan, Lock), GateScripts.Revert(config, plan, Lock, "a line"),
            ReleaseScripts.Switch(config with { Deploy = DeployConfig.Default }, plan, Lock) with { Name = "switch-ungated" },
            GateScripts.Revert(config, plan with { Previous = null }, Lock, "a line") with { Name = "revert-first" },
        ];
        foreach (var script in scripts)
        {
            var file = dir.Write(script.Name + ".sh", script.Render(reveal: true));
            await Run.ShellAsync($"bash -n {file}");
        }
    }
}
