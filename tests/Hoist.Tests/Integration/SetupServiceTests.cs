namespace Hoist.Tests.Integration;

using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// `hoist setup` asked for a systemd unit on a web host where systemd does not run (a testbed host: a network
/// namespace, no systemd): refused on every host before any is changed, the db host too.
/// </summary>
[Collection(TestbedCollection.Name)]
public sealed class SetupServiceTests(ITestOutputHelper output)
{
    private const string App = "hoistnosystemd";

    [Fact]
    public async Task Service_Systemd_On_A_Web_Host_Without_Systemd_Fails_Naming_The_Host_And_The_Fix_And_Changes_No_Host()
    {
        using var dir = new TempDir("hoist-setup-nosystemd");
        await using var testbed = await Testbed.StartAsync("web1", "db1");
        var web = testbed.Address("web1");
        var db = testbed.Address("db1");
        var deployTo = dir.Combine("srv", App);
        var hoistPath = dir.Combine("bin", "hoist");
        dir.Write("hoist.yml", $"""
            app: {App}
            repo: /srv/git/{App}.git
            deploy_to: {deployTo}
            hosts:
              web: root@{web}
              db: root@{db}
            ssh:
              key: {testbed.ClientKey}
              known_hosts: {testbed.KnownHosts}
            serve:
              socket: {deployTo}/shared/run/app.sock
              workers: 1
              chdir: {deployTo}/current
              command: exec python3 -m http.server "$PORT"
            setup:
              user: {App}
              hoist_path: {hoistPath}
              service: systemd
            """);

        var setup = await HoistCli.RunAsync(dir.Path, "setup");
        var user = await Run.ProcessAsync("id", ["-u", App]);

        output.WriteLine(setup.ToString());
        Assert.Equal(1, setup.ExitCode);
        var text = setup.Stdout + setup.Stderr;
        var line = text.Split('\n').FirstOrDefault(l => l.Contains("setup.service is systemd", StringComparison.Ordinal)) ?? "";
        Assert.Contains(web, line, StringComparison.Ordinal);
        Assert.Contains("systemd does not run on this host", line, StringComparison.Ordinal);
        Assert.Contains("set setup.service to auto", line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(deployTo), "deploy_to was made");
        // The db host's script would install the hoist binary first thing; the web host's too.
        Assert.False(File.Exists(hoistPath), "the hoist binary was installed: a host was changed");
        Assert.DoesNotContain($"{db}] ", setup.Stdout, StringComparison.Ordinal);
        Assert.Contains("no host was changed", setup.Stdout + setup.Stderr, StringComparison.Ordinal);
        Assert.NotEqual(0, user.ExitCode);
    }
}
