namespace Hoist.Tests.Deploy;

using Hoist.Config;
using Hoist.Deploy;

public sealed class FleetLockTests
{
    private static readonly HostConfig A = new("10.0.0.1", 22, "deploy", false);
    private static readonly HostConfig B = new("10.0.0.2", 22, "deploy", false);
    private static readonly HostConfig C = new("10.0.0.10", 2222, "deploy", false);

    [Fact]
    public void Leader_Is_The_Same_Whatever_Order_The_Hosts_Come_In()
    {
        var leaders = new[] { new[] { A, B, C }, [C, B, A], [B, C, A] }.Select(FleetLock.Leader).Distinct().ToList();

        // Ordinal order of the keys (deploy@10.0.0.10:2222 before deploy@10.0.0.1:22): any fixed order does, if every run uses it.
        Assert.Equal([C], leaders);
    }

    /// <summary>`deploy`, `deploy --role web` and setup (web hosts only) of one hoist.yml must share one mutex.</summary>
    [Fact]
    public void Leader_Is_The_First_Of_All_Release_Hosts_Whatever_A_Run_Selected()
    {
        var db = new HostConfig("10.0.0.0", 22, "deploy", false);
        var config = Config([new RoleConfig("web", [A, B]), new RoleConfig("worker", [C]), new RoleConfig("db", [db])]);

        Assert.Equal(C, FleetLock.Leader(config));
        Assert.Equal([A, B, C], FleetLock.WithLeader(config, [A, B]));
        Assert.Equal([C, A], FleetLock.WithLeader(config, [C, A]));
        Assert.True(FleetLock.IsLockOnly(C, [A, B]));
        Assert.False(FleetLock.IsLockOnly(C, [C]));
    }

    [Fact]
    public void Prepare_Under_A_Lock_Already_Taken_Checks_The_Token_Instead_Of_Taking_It()
    {
        var info = new LockInfo("me@box (pid 42) since 2026-01-02T03:04:05Z: deploy", "token123");
        var config = Config([new RoleConfig("web", [A, B])]);

        var taken = ReleaseScripts.Prepare(config, info, "20260102030405", "rev", lockTaken: true).Show();
        var taking = ReleaseScripts.Prepare(config, info, "20260102030405", "rev").Show();

        Assert.DoesNotContain("mv -n -T \"$lock_new\" \"$D\"/.hoist/lock", taken);
        Assert.Contains("\"$(cat \"$D\"/.hoist/lock/token 2>/dev/null)\" != token123", taken);
        Assert.Contains("echo $$ > \"$D\"/.hoist/lock/pid", taken);
        Assert.Contains("mv -n -T \"$lock_new\" \"$D\"/.hoist/lock", taking);
    }

    private static HoistConfig Config(IReadOnlyList<RoleConfig> roles) => new(
        App: "myapp", Source: new UploadSource("/p/publish"), DeployTo: "/srv/app", KeepReleases: 5,
        Roles: roles, Ssh: new SshConfig("deploy", 22, null, "/k", false, TimeSpan.FromSeconds(10)),
        Shared: [], Build: [], Reload: null, Env: [], ConfigPath: "/p/hoist.yml");
}
