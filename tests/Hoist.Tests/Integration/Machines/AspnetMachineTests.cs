namespace Hoist.Tests.Integration.Machines;

using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// examples/aspnet published self-contained for linux-x64 (the machines have no .NET), uploaded as a release to a
/// fresh web1, run by hoist serve as a systemd unit, its visit counter in PostgreSQL on a fresh db1.
/// </summary>
[Collection(MachineCollection.Name)]
public sealed class AspnetMachineTests(ITestOutputHelper output)
{
    private const string App = "hoistaspnet";
    private const string DeployTo = "/srv/hoistaspnet";

    [Fact]
    public async Task Self_Contained_Upload_Runs_Under_Systemd_With_Its_Counter_In_Postgres_On_Db1()
    {
        var hoist = await SelfContained.HoistAsync();
        var release = await SelfContained.AspnetAsync();
        using var dir = new TempDir("hoist-aspnet-machines");
        await using var testbed = await Testbed.StartMachinesAsync("web1", "db1");
        var (web, db) = (testbed.Address("web1"), testbed.Address("db1"));
        dir.Write("hoist.yml", $"""
            app: {App}
            upload: {release}
            deploy_to: {DeployTo}
            hosts:
              web: root@{web}
              db: root@{db}
            ssh:
              key: {testbed.ClientKey}
              known_hosts: {testbed.KnownHosts}
            shared: [.env]
            build:
              - set -a; . "$HOIST_DEPLOY_TO/.env.migrate"; set +a; ./HoistDemo migrate
            serve:
              socket: {DeployTo}/shared/run/app.sock
              chmod_socket: 660
              workers: 2
              chdir: {DeployTo}/current
              command: ./HoistDemo
              healthcheck: /up
              logto: {DeployTo}/shared/log/serve.log
              vacuum: true
            setup:
              nginx:
                locations:
                  /static/: current/wwwroot/static
            """);

        var setup = await HoistCli.RunBinaryAsync(hoist, dir.Path, TimeSpan.FromMinutes(8), "setup");
        var deploy = await HoistCli.RunBinaryAsync(hoist, dir.Path, TimeSpan.FromMinutes(8), "deploy");
        output.WriteLine($"setup: exit {setup.ExitCode}\n{string.Join('\n', setup.Stdout.Split('\n').Where(l => l.Contains("] ok:", StringComparison.Ordinal) || l.Contains("FAILED", StringComparison.Ordinal)))}");
        output.WriteLine($"deploy: exit {deploy.ExitCode}\n{deploy.Stdout.Trim().Split('\n').Last()}");
        Assert.True(setup.ExitCode == 0, setup.ToString());
        Assert.True(deploy.ExitCode == 0, deploy.ToString());

        using var http = new HttpClient { BaseAddress = new Uri($"http://{web}/"), Timeout = TimeSpan.FromSeconds(20) };
        await http.GetStringAsync("");
        var second = await http.GetStringAsync("");
        using var css = await http.GetAsync("static/site.css");
        var count = await testbed.SshAsync("db1", $"runuser -u postgres -- psql -X -At -d {App} -c 'SELECT count FROM visits WHERE id = 1'");
        var unit = await testbed.SshAsync("web1", $"systemctl is-active {App}.service; systemctl show -p Type --value {App}.service; ps -o user= -C HoistDemo | sort -u; command -v dotnet || echo 'no dotnet'");
        output.WriteLine($"visits in PostgreSQL on db1: {count.Stdout.Trim()}; unit: {unit.Stdout.Replace('\n', ' ')}; /static/site.css {(int)css.StatusCode}");
        Assert.Equal("2", count.Stdout.Trim());
        Assert.Contains(db, second, StringComparison.Ordinal);
        Assert.Equal(["active", "notify", App, "no dotnet"], unit.Stdout.Trim().Split('\n'));
        Assert.Equal(System.Net.HttpStatusCode.OK, css.StatusCode);
    }
}
