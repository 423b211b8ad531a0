namespace Hoist.Tests.Deploy;

using Hoist.Config;
using Hoist.Deploy;
using Hoist.Shell;
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
    public void Switch_Reloads_Prunes_Audits_And_Unlocks() =>
        Golden.Match("switch.sh", ReleaseScripts.Switch(
            Config(new GitSource("/r", "main")),
            new SwitchPlan("20260102030405", ["20250101000000", "20250202000000"], null, "2026-01-02T03:04:05Z me@box deploy release=20260102030405"),
            Lock).Show());

    [Fact]
    public void Switch_For_A_Rollback_Marks_The_Abandoned_Release_Bad() =>
        Golden.Match("switch-rollback.sh", ReleaseScripts.Switch(
            Config(new GitSource("/r", "main")) with { Reload = null },
            new SwitchPlan("20250101000000", [], "20260102030405", "2026-01-02T03:04:05Z me@box rollback release=20250101000000"),
            Lock).Show());

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
        var file = dir.Write("s.sh", ReleaseScripts.Prepare(Config(new GitSource("/r", "main")), Lock, "1", null).Render(reveal: true));

        await Run.ShellAsync($"bash -n {file}");
    }
}
