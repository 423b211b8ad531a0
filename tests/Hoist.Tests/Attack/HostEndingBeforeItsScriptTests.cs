namespace Hoist.Tests.Integration.Attack;

using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// Attack on the one runner with a host that fails while another is still running (issue 11 §7), on two real sshds:
/// the second host's session ends at once, before Hoist has sent it the script (a login shell of nologin, a forced
/// command, a <c>sudo -n</c> that wants a password). SSH.NET then refuses the command's input stream; that escaped the
/// runner as "The input stream can be used only during execution", past its cleanup, so the first host kept this
/// deploy's lock and release. It must be that host's failure like any other: named, with its line, and cleaned up.
/// </summary>
public sealed class HostEndingBeforeItsScriptTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TempDir dir = new();
    private TestSshd[] hosts = [];

    public async Task InitializeAsync()
    {
        // Each server's sessions end at once while a file names its port (SSH_CONNECTION's fourth field).
        var gate = dir.Write("gate.sh", $"""
            #!/bin/bash
            set -- $SSH_CONNECTION
            if [ -e '{dir.Path}'/broken-"$4" ]; then echo 'This account is currently not available.' >&2; exit 1; fi
            exec bash -c "$SSH_ORIGINAL_COMMAND"
            """);
        File.SetUnixFileMode(gate, (UnixFileMode)0b111_101_101);
        hosts = (await Task.WhenAll(TestSshd.StartAsync($"ForceCommand {gate}"), TestSshd.StartAsync($"ForceCommand {gate}")))
            .OrderBy(h => $"root@{h.Address}", StringComparer.Ordinal).ToArray();
        await File.AppendAllTextAsync(hosts[0].KnownHosts, await File.ReadAllTextAsync(hosts[1].KnownHosts));
        File.Copy(hosts[0].ClientKey + ".pub", hosts[1].AuthorizedKeys, overwrite: true);
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
    public async Task A_Host_Whose_Session_Ends_At_Once_Fails_The_Deploy_And_The_Other_Is_Cleaned_Up()
    {
        var (leader, broken) = (hosts[0], hosts[1]);
        Directory.CreateDirectory(dir.Combine("site"));
        dir.Write("site/index.html", "v1");
        var project = Project.Create(dir, leader, "upload: ./site", hosts: $"{leader.Address}, {broken.Address}", deployTo: "~/app");
        dir.Write($"broken-{broken.Port}", "");

        var deploy = await project.HoistAsync("deploy");
        output.WriteLine(deploy.ToString());

        Assert.Equal(1, deploy.ExitCode);
        Assert.DoesNotContain("input stream", deploy.Stderr);
        Assert.Contains($"{broken.Address}: ", deploy.Stderr);
        Assert.Contains("This account is currently not available.", deploy.Stderr);
        Assert.Contains("nothing was switched", deploy.Stderr);
        Assert.False(Directory.Exists(Path.Combine(leader.Home, "app", ".hoist", "lock")), $"the deploy left its lock on {leader.Address}");
        var releases = Path.Combine(leader.Home, "app", "releases");
        Assert.Empty(Directory.Exists(releases) ? Directory.GetDirectories(releases) : []);
    }
}
