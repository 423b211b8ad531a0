namespace Hoist.Tests.Config.Loading;

using Hoist.Config;
using Hoist.Tests.Config;

public sealed class HooksReaderTests
{
    private const string Head = "app: demo\nrepo: /srv/demo.git\nhosts: { web: 10.0.0.1 }\n";

    [Fact]
    public void Reads_Local_Remote_And_Once_In_Order_Written()
    {
        var hooks = TestConfig.Valid(Head + """
            hooks:
              before_switch:
                - local: ./check.sh
                - remote: test -f REVISION
              after_deploy:
                - remote: systemctl restart worker
                - remote: echo warm
                  once: true
              on_failure: [{ local: ./page.sh }]
            """).Hooks;

        Assert.Equal(
            [new HookConfig(false, "./check.sh", false, "hooks.before_switch[0]"), new HookConfig(true, "test -f REVISION", false, "hooks.before_switch[1]")],
            hooks.For(HookPhase.BeforeSwitch));
        Assert.Equal(
            [new HookConfig(true, "systemctl restart worker", false, "hooks.after_deploy[0]"), new HookConfig(true, "echo warm", true, "hooks.after_deploy[1]")],
            hooks.For(HookPhase.AfterDeploy));
        Assert.Equal("./page.sh", Assert.Single(hooks.For(HookPhase.OnFailure)).Command);
        Assert.Empty(hooks.For(HookPhase.AfterRollback));
    }

    [Fact]
    public void No_Hooks_Is_None()
    {
        Assert.All(HooksConfig.Names, n => Assert.Empty(TestConfig.Valid(Head).Hooks.For(n.Phase)));
    }

    [Fact]
    public void Rejects_Every_Mistake_At_Once()
    {
        var errors = TestConfig.Errors(Head + """
            hooks:
              before_swtich: [{ local: a }]
              after_build:
                - ./notify.sh
                - { once: true }
                - { local: a, remote: b }
              after_deploy:
                - local: ./notify.sh
                  once: true
                - remote: "echo 'unclosed"
                - remote: "  "
                - remote: x
                  once: maybe
                - remote: y
                  where: all
            """);

        Assert.Equal(
            [
                "hoist.yml:5:3: hooks.before_swtich: unknown key 'before_swtich'; did you mean 'before_switch'?",
                "hoist.yml:7:7: hooks.after_build[0]: a hook runs here or on the hosts: write '- local: ./notify.sh' or '- remote: systemctl restart worker', not './notify.sh'",
                "hoist.yml:8:7: hooks.after_build[1]: a hook needs 'local' (run on this machine) or 'remote' (run on the hosts); write '- local: ./notify.sh' or '- remote: systemctl restart worker'",
                "hoist.yml:9:7: hooks.after_build[2]: a hook is either 'local' or 'remote', not both; make them two hooks",
                "hoist.yml:12:7: hooks.after_deploy[0].once: 'once' is for remote hooks (run on the first host only); a local hook runs once already, remove it",
                Assert.Single(errors, e => e.StartsWith("hoist.yml:13:15: hooks.after_deploy[1].remote: shell syntax error in 'echo 'unclosed'", StringComparison.Ordinal)),
                "hoist.yml:14:15: hooks.after_deploy[2].remote: empty command; write the command to run, or remove the hook",
                "hoist.yml:16:13: hooks.after_deploy[3].once: expected true or false, got 'maybe'",
                "hoist.yml:18:7: hooks.after_deploy[4].where: unknown key 'where'; valid keys: local, remote, once",
            ],
            errors);
    }

    [Fact]
    public void Rejects_A_Phase_That_Is_Not_A_Mapping_Of_Lists()
    {
        Assert.Equal(
            "hoist.yml:4:8: hooks: expected a mapping of phases (before_switch: [...], after_deploy: [...]), got a list",
            TestConfig.Single(Head + "hooks: [a]"));
        Assert.Equal(
            "hoist.yml:5:17: hooks.after_deploy: expected a list of hooks such as '- local: ./notify.sh' or '- remote: systemctl restart worker', got a mapping",
            TestConfig.Single(Head + "hooks:\n  after_deploy: { local: a }"));
    }
}
