namespace Hoist.Tests.Integration.Attack;

using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// Attack on the one runner's leader-first lock (issue 11 §7), on two real sshds: <c>hoist setup --host B</c>, where A
/// (hoist.yml's first host, whose lock every run takes first) is not set up yet. Setup's lock takes nothing on a host
/// with no deploy_to (setup makes it, as root, after its prechecks); the runner took the leader's lock with the
/// deploy's plain lock script instead, whose <c>mkdir -p deploy_to/.hoist</c> made deploy_to there as the login user
/// (or, where that user may not write its parent, failed the whole setup at 'lock'). Both hosts share one file system
/// here, so deploy_to is one folder: setup's precheck (systemd, which this machine lacks) fails, and nothing may exist.
/// </summary>
public sealed class SetupLockOnlyLeaderMakesNoDeployToTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TempDir dir = new();
    private TestSshd[] hosts = [];

    /// <summary>The pair's first: its known_hosts and client key reach both.</summary>
    private TestSshd login = null!;

    public async Task InitializeAsync()
    {
        var (one, two) = await TestSshd.StartPairAsync();
        login = one;
        hosts = new[] { one, two }.OrderBy(h => $"root@{h.Address}", StringComparer.Ordinal).ToArray();
    }

    public async Task DisposeAsync()
    {
        foreach (var host in hosts)
        {
            await host.DisposeAsync();
        }

        dir.Dispose();
    }

    [Fact]
    public async Task Setup_Of_Another_Host_Makes_No_Deploy_To_On_The_Lock_Leader()
    {
        var (leader, other) = (hosts[0], hosts[1]);
        var deployTo = dir.Combine("target");
        var project = Project.Create(dir, login, "upload: .", $"""
            reload: "true"
            serve:
              socket: {deployTo}/shared/run/app.sock
              workers: 1
              chdir: {deployTo}/current
              command: exec python3 -m http.server "$PORT"
            setup:
              user: hoistlocktest
              hoist_path: {dir.Combine("bin", "hoist")}
              service: systemd
            """, hosts: $"{leader.Address}, {other.Address}", deployTo: deployTo);

        var setup = await project.HoistAsync("setup", "--host", other.Address);
        output.WriteLine(setup.ToString());

        Assert.Equal(1, setup.ExitCode);
        Assert.Contains("no host was changed", setup.All);
        Assert.False(Directory.Exists(deployTo), $"setup --host {other.Address} made {deployTo} (via the lock on {leader.Address}, not set up yet)");
    }
}
