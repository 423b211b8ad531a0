namespace Hoist.Tests.Deploy;

using Hoist.Config;
using Hoist.Deploy;
using Hoist.Remote;
using Hoist.Shell;
using Xunit.Abstractions;

/// <summary>Every shape of a failed switch gives a reason that names the host and the failure (the revert's warning and audit line).</summary>
public sealed class SwitchFailureTests(ITestOutputHelper output)
{
    private static readonly HostConfig Host = new("web2.example", 22, "deploy", false);

    private static readonly HoistConfig Config = new(
        App: "myapp",
        Source: new GitSource("git@example.com:me/app.git", "main"),
        DeployTo: "~/app",
        KeepReleases: 5,
        Roles: [new RoleConfig("web", [Host])],
        Ssh: new SshConfig("deploy", 22, null, "/k", false, TimeSpan.FromSeconds(10)),
        Shared: [],
        Build: [],
        Reload: "touch reload",
        Env: [],
        ConfigPath: "/p/hoist.yml")
    {
        Deploy = new DeployConfig("/up", 7),
    };

    public static TheoryData<string, int, string[], string?, string> Shapes => new()
    {
        // name, exit, lines (markers as KEY=VALUE after "!"), lost, what the reason must say after "HOST: "
        { "lost, empty message", Fleet.ConnectionLost, ["!step=reload"], "", "the connection was lost (during 'reload')" },
        { "lost", Fleet.ConnectionLost, ["!step=health /up"], "connection lost during switch: Broken pipe", "connection lost during switch: Broken pipe (during 'health /up')" },
        { "failed before the rename, no output", 1, ["!step=switch"], null, "the switch failed before current moved (exit 1, during 'switch'), with no output" },
        { "failed before the rename, no step", 2, [], null, "the switch failed before current moved (exit 2, during 'switch'), with no output" },
        { "failed before the rename", 1, ["!step=switch", "cannot record the switch, nothing was switched: No space left on device"], null,
            "the switch failed before current moved (exit 1, during 'switch')" },
        { "reload failed, no output", 1, ["!step=switch", "!switched=1", "!step=reload", "!reload_status=3"], null, "the reload failed (exit 3), with no output" },
        { "reload failed", 1, ["!switched=1", "!reload_status=1", "reload refused here"], null, "the reload failed (exit 1)" },
        { "not healthy", 1, ["!switched=1", "!reload_status=0", "!health=failed", "health check: ... answered '503'"], null, "not healthy: /up did not answer 2xx within 7 s" },
        { "killed after the rename", 143, ["!switched=1", "!step=reload"], null, "the switch stopped after current moved (exit 143, during 'reload'), with no output" },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void The_Reason_Names_The_Host_And_The_Failure(string shape, int exit, string[] lines, string? lost, string expected)
    {
        var run = HostRun.From(Host, exit, lines.Select(l => (l.StartsWith('!') ? Marker.Prefix + l[1..] : l, false))) with { Lost = lost };
        var why = SwitchFailure.Why(run, Config);

        var reason = SwitchFailure.Reason([(run, why)], interrupted: false);

        output.WriteLine($"{shape}: reason={reason}");
        Assert.Equal($"web2.example: {expected}", reason);
    }

    [Fact]
    public void An_Interrupt_Leads_The_Reason_With_Or_Without_A_Failed_Host()
    {
        var run = HostRun.From(Host, 1, [(Marker.Prefix + "switched=1", false), (Marker.Prefix + "reload_status=1", false)]);

        Assert.Equal("interrupted", SwitchFailure.Reason([], interrupted: true));
        Assert.Equal("interrupted; web2.example: the reload failed (exit 1), with no output", SwitchFailure.Reason([(run, SwitchFailure.Why(run, Config))], interrupted: true));
    }
}
