namespace Hoist.Tests.Deploy;

using Hoist.Config;
using Hoist.Deploy;
using Hoist.Shell;
using Hoist.Tests.Support;

public sealed class MigrateScriptTests
{
    private static readonly LockInfo Lock = new("me@box (pid 42) since 2026-01-02T03:04:05Z: deploy", "token123");

    private static readonly HostConfig Web = new("10.0.0.5", 22, "deploy", false);

    private static readonly HoistConfig Config = new(
        App: "myapp",
        Source: new GitSource("/r", "main"),
        DeployTo: "~/apps/my app",
        KeepReleases: 5,
        Roles: [new RoleConfig("web", [Web])],
        Ssh: new SshConfig("deploy", 22, null, "/k", false, TimeSpan.FromSeconds(10)),
        Shared: [".env"],
        Build: [],
        Reload: null,
        Env: [new EnvVar("MODE", ShellValue.Plain("production")), new EnvVar("SECRET", ShellValue.Hidden("hunter2-hunter2"))],
        ConfigPath: "/p/hoist.yml");

    private static readonly MigrateConfig Migrate = new(["venv/bin/flask db upgrade", "echo \"$DATABASE_URL\" | wc -c"], Web);

    [Fact]
    public void In_A_Deploy_Runs_In_The_New_Release_Under_The_Prepares_Lock() =>
        Golden.Match("migrate-deploy.sh", MigrateScript.InDeploy(Config, Migrate, Lock, "20260102030405").Show());

    [Fact]
    public void Alone_Takes_The_Lock_Runs_In_Current_Audits_And_Unlocks() =>
        Golden.Match("migrate-alone.sh", MigrateScript.Alone(Config, Migrate, Lock, "2026-01-02T03:04:05Z me@box migrate").Show());

    [Fact]
    public void Never_Puts_A_Secret_Or_Runs_As_Root()
    {
        var script = MigrateScript.InDeploy(Config, Migrate, Lock, "20260102030405");

        Assert.False(script.AsRoot);
        Assert.DoesNotContain("sudo", script.Render(reveal: true), StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", script.Show(), StringComparison.Ordinal);
    }
}
