namespace Hoist.Tests.Integration.Attack;

using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// Attack on the one runner's all-or-nothing phases (issue 11 §7), on two real sshds: the first host's build fails
/// while the second's is still running. The run is lost from that moment (nothing will switch); it used to wait out
/// the slowest host's build before it cleaned up (minutes, on a real app). Now the other hosts' scripts are stopped
/// at the first failure, named as stopped, and cleaned up with the rest.
/// </summary>
public sealed class FailedHostDoesNotStopTheOthersTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TempDir dir = new();
    private TestSshd[] hosts = [];

    public async Task InitializeAsync()
    {
        var (one, two) = await TestSshd.StartPairAsync();
        hosts = [one, two];
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
    public async Task A_Failed_Build_On_One_Host_Ends_The_Deploy_Without_Waiting_For_The_Other_Hosts_Build()
    {
        var (fails, slow) = (hosts[0], hosts[1]);
        var gate = new BuildGate(dir);
        dir.Write("site/index.html", "v1");
        var project = Project.Create(dir, fails, "upload: ./site",
            $"build: [\"if [ \\\"$HOME\\\" = '{fails.Home}' ]; then {gate.AwaitStarted}; echo fails-at-once; exit 3; fi; {gate.Step}\"]",
            hosts: $"{fails.Address}, {slow.Address}", deployTo: "~/app");

        // The failing host fails only once the other's build has begun (and that one waits for the gate).
        var deploy = project.HoistAsync("deploy");
        var ended = await Task.WhenAny(deploy, Task.Delay(TimeSpan.FromSeconds(30))) == deploy;
        var began = gate.HasStarted;
        gate.Open();
        var result = await deploy;
        output.WriteLine($"ended while the other host's build still ran: {ended}\n{result}");

        Assert.True(began, "the other host's build never began");
        Assert.True(ended, "the deploy waited for the other host's build after the first host's had failed");
        Assert.Contains($"{slow.Address}: stopped, as the deploy had failed on another host", result.Stderr);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("fails-at-once", result.Stderr);
    }
}
