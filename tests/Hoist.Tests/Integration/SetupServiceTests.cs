namespace Hoist.Tests.Integration;

using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>`hoist setup` asked for a systemd unit on a host where systemd does not run (a testbed host: a network namespace, no systemd).</summary>
[Collection(TestbedCollection.Name)]
public sealed class SetupServiceTests(ITestOutputHelper output)
{
    private const string App = "hoistnosystemd";

    [Fact]
    public async Task Service_Systemd_On_A_Host_Without_Systemd_Fails_Naming_The_Host_And_The_Fix_And_Changes_Nothing()
    {
        using var dir = new TempDir("hoist-setup-nosystemd");
        await using var testbed = await Testbed.StartAsync("web1");
        var web = testbed.Address("web1");
        var deployTo = dir.Combine("srv", App);
        var hoistPath = dir.Combine("bin", "hoist");
        dir.Write("hoist.yml", $"""
            app: {App}
            repo: /srv/git/{App}.git
            deploy_to: {deployTo}
            hosts:
              web: root@{web}
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
        Assert.False(File.Exists(hoistPath), "the hoist binary was installed");
        Assert.NotEqual(0, user.ExitCode);
        Assert.Contains("FAILED: 0 changed, 0 ok", setup.Stdout, StringComparison.Ordinal);
    }
}
