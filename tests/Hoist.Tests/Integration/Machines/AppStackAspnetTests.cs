namespace Hoist.Tests.Integration.Machines;

using Hoist.Tests.Support;

/// <summary>
/// examples/aspnet published self-contained for linux-x64 (the machines have no .NET), uploaded as a release to
/// web1, run by hoist serve as a systemd unit, its visit counter in PostgreSQL on db1.
/// </summary>
public sealed partial class AppStackTests
{
    private const string AspnetApp = "hoistaspnet";
    private const string AspnetDeployTo = "/srv/hoistaspnet";
    private const string AspnetServerName = "aspnet.test";

    [Fact]
    public async Task Self_Contained_Upload_Runs_Under_Systemd_With_Its_Counter_In_Postgres_On_Db1()
    {
        var release = await SelfContained.AspnetAsync();
        var db = stack.Address("db1");
        File.WriteAllText(Path.Combine(stack.AppDir(AspnetApp), "hoist.yml"), $"""
            app: {AspnetApp}
            upload: {release}
            deploy_to: {AspnetDeployTo}
            {stack.HostsAndSsh()}
            shared: [.env]
            build:
              - set -a; . "$HOIST_DEPLOY_TO/.env.migrate"; set +a; ./HoistDemo migrate
            serve:
              socket: {AspnetDeployTo}/shared/run/app.sock
              chmod_socket: 660
              workers: 2
              chdir: {AspnetDeployTo}/current
              command: ./HoistDemo
              healthcheck: /up
              logto: {AspnetDeployTo}/shared/log/serve.log
              vacuum: true
            setup:
              nginx:
                server_name: {AspnetServerName}
                locations:
                  /static/: current/wwwroot/static
            """);

        var setup = await stack.HoistAsync(AspnetApp, "setup");
        var deploy = await stack.HoistAsync(AspnetApp, "deploy");
        output.WriteLine($"setup: exit {setup.ExitCode}\n{string.Join('\n', setup.Stdout.Split('\n').Where(l => l.Contains("] ok:", StringComparison.Ordinal) || l.Contains("FAILED", StringComparison.Ordinal)))}");
        output.WriteLine($"deploy: exit {deploy.ExitCode}\n{deploy.Stdout.Trim().Split('\n').Last()}");
        Assert.True(setup.ExitCode == 0, setup.ToString());
        Assert.True(deploy.ExitCode == 0, deploy.ToString());

        using var http = stack.Http(AspnetServerName);
        await http.GetStringAsync("");
        var second = await http.GetStringAsync("");
        using var css = await http.GetAsync("static/site.css");
        var count = await stack.Testbed.SshAsync("db1", $"runuser -u postgres -- psql -X -At -d {AspnetApp} -c 'SELECT count FROM visits WHERE id = 1'");
        var unit = await stack.Testbed.SshAsync("web1", $"systemctl is-active {AspnetApp}.service; systemctl show -p Type --value {AspnetApp}.service; ps -o user= -C HoistDemo | sort -u; command -v dotnet || echo 'no dotnet'");
        output.WriteLine($"visits in PostgreSQL on db1: {count.Stdout.Trim()}; unit: {unit.Stdout.Replace('\n', ' ')}; /static/site.css {(int)css.StatusCode}");
        Assert.Equal("2", count.Stdout.Trim());
        Assert.Contains(db, second, StringComparison.Ordinal);
        Assert.Equal(["active", "notify", AspnetApp, "no dotnet"], unit.Stdout.Trim().Split('\n'));
        Assert.Equal(System.Net.HttpStatusCode.OK, css.StatusCode);
    }
}
