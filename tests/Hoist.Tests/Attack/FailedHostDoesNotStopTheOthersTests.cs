namespace Hoist.Tests.Integration.Attack;

using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// Attack on the one runner's all-or-nothing phases (issue 11 §7), on two real sshds: the first host's build fails at
/// once while the second's is still running. The run is lost from that moment (nothing will switch), yet the runner
/// waits for every host's script to end before it cleans up, so the operator waits out the slowest build (minutes, on
/// a real app) for a deploy already failed. Not fixed: stopping the others means a fleet run that ends the other
/// hosts' scripts on a first failure and tells them apart from a Ctrl-C, a change to Fleet the lead should weigh.
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

    [Fact(Skip = "attack: a host's failure does not stop the other hosts' scripts; the run waits for the slowest build before it fails")]
    public async Task A_Failed_Build_On_One_Host_Ends_The_Deploy_Without_Waiting_For_The_Other_Hosts_Build()
    {
        var (fails, slow) = (hosts[0], hosts[1]);
        var gate = new BuildGate(dir);
        dir.Write("site/index.html", "v1");
        var project = Project.Create(dir, fails, "upload: ./site",
            $"build: [\"if [ \\\"$HOME\\\" = '{fails.Home}' ]; then echo fails-at-once; exit 3; fi; {gate.Step}\"]",
            hosts: $"{fails.Address}, {slow.Address}", deployTo: "~/app");

        var deploy = project.HoistAsync("deploy");
        await gate.WaitStartedAsync(deploy);
        var ended = await Task.WhenAny(deploy, Task.Delay(TimeSpan.FromSeconds(30))) == deploy;
        gate.Open();
        var result = await deploy;
        output.WriteLine($"ended while the other host's build still ran: {ended}\n{result}");

        Assert.True(ended, "the deploy waited for the other host's build after the first host's had failed");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("fails-at-once", result.Stderr);
    }
}
