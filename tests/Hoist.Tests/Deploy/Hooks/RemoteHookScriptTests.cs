namespace Hoist.Tests.Deploy.Hooks;

using Hoist.Config;
using Hoist.Deploy;
using Hoist.Deploy.Hooks;
using Hoist.Shell;
using Hoist.Tests.Support;

public sealed class RemoteHookScriptTests
{
    private static readonly LockInfo Lock = new("me@box (pid 42) since 2026-01-02T03:04:05Z: deploy", "token123");

    private static readonly HookVariables Variables = new("myapp", "20260102030405", "abc123", "10.0.0.5,10.0.0.6", "me@box", "it's friday", "before_switch");

    private static HoistConfig Config() => new(
        App: "myapp",
        Source: new GitSource("/r", "main"),
        DeployTo: "~/apps/my app",
        KeepReleases: 5,
        Roles: [new RoleConfig("web", [new HostConfig("10.0.0.5", 22, "deploy", false)])],
        Ssh: new SshConfig("deploy", 22, null, "/k", false, TimeSpan.FromSeconds(10)),
        Shared: [],
        Build: [],
        Reload: null,
        Env: [new EnvVar("MODE", ShellValue.Plain("production")), new EnvVar("SECRET", ShellValue.Hidden("hunter2"))],
        ConfigPath: "/p/hoist.yml");

    [Fact]
    public void Renders_A_Hook_Under_The_Lock()
    {
        var hook = new HookConfig(true, "venv/bin/flask check --deploy", false, "hooks.before_switch[0]");

        Golden.Match("hook-under-lock.sh", RemoteHookScript.Build(Config(), hook, Variables, Lock).Show());
    }

    [Fact]
    public void Renders_An_On_Failure_Hook_With_Its_Error()
    {
        var hook = new HookConfig(true, "./page-me.sh \"$HOIST_ERROR\"", true, "hooks.on_failure[0]");

        Golden.Match("hook-on-failure.sh", RemoteHookScript.Build(Config(), hook, Variables with { Phase = "on_failure", Error = "build failed; $(rm -rf /)" }, null).Show());
    }

    [Fact]
    public void Secrets_Are_Never_Shown_And_Travel_In_The_Script_Only()
    {
        var script = RemoteHookScript.Build(Config(), new HookConfig(true, "echo $SECRET", false, "hooks.after_deploy[0]"), Variables, null);

        Assert.DoesNotContain("hunter2", script.Show(), StringComparison.Ordinal);
        Assert.Contains("export SECRET=hunter2", script.Render(reveal: true), StringComparison.Ordinal);
    }
}
