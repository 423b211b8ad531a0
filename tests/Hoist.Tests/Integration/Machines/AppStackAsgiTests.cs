namespace Hoist.Tests.Integration.Machines;

using Hoist.Tests.Integration.Serve;

/// <summary>
/// A Starlette app (Apps/asgiapp) from its own repository, run by uvicorn workers under hoist serve as a systemd unit
/// on web1, behind web1's nginx: a WebSocket opened through nginx keeps echoing across a `hoist deploy` of a new
/// commit (a reload under systemd), while the new release answers HTTP.
/// </summary>
public sealed partial class AppStackTests
{
    private const string AsgiApp = "hoistasgi";
    private const string AsgiDeployTo = "/srv/hoistasgi";
    private const string AsgiServerName = "asgi.test";

    [Fact]
    public async Task Starlette_WebSocket_Through_Nginx_Keeps_Echoing_Across_A_Deploy_While_The_New_Release_Answers()
    {
        var (repo, url) = await stack.RepoAsync(AsgiApp);
        var app = await File.ReadAllTextAsync(ServeApps.AsgiAppSource);
        var first = await repo.CommitAsync("a Starlette app with a WebSocket echo", ("app.py", app));
        var yml = $"""
            app: {AsgiApp}
            repo: {url}
            deploy_to: {AsgiDeployTo}
            {stack.HostsAndSsh(db: false)}
            serve:
              socket: {AsgiDeployTo}/shared/run/app.sock
              chmod_socket: 660
              workers: 2
              chdir: {AsgiDeployTo}/current
              asgi: app:app
              healthcheck: /up
              worker_reload_mercy: 20
              logto: {AsgiDeployTo}/shared/log/serve.log
              vacuum: true
            setup:
              packages:
                web: [python3-uvicorn, python3-websockets, python3-starlette]
              nginx:
                server_name: {AsgiServerName}
            """;
        File.WriteAllText(Path.Combine(stack.AppDir(AsgiApp), "hoist.yml"), yml);
        output.WriteLine($"hoist.yml:\n{yml}\n");

        var setup = await stack.HoistAsync(AsgiApp, "setup");
        Show("setup", setup);
        Assert.True(setup.ExitCode == 0, setup.ToString());
        var deploy = await stack.HoistAsync(AsgiApp, "deploy");
        Show("deploy 1", deploy);
        Assert.True(deploy.ExitCode == 0, deploy.ToString());

        using var http = stack.Http(AsgiServerName);
        Assert.StartsWith(first, await http.GetStringAsync(""), StringComparison.Ordinal);
        using var socket = await EchoSocket.ConnectAsync(new Uri($"ws://{stack.Address("web1")}/echo"), AsgiServerName);
        var before = await socket.EchoAsync("before");
        output.WriteLine($"echo before the deploy: {before}");
        Assert.StartsWith($"{first} ", before, StringComparison.Ordinal);

        var second = await repo.CommitAsync("a second commit", ("app.py", app + "\n# second\n"));
        var redeploy = await stack.HoistAsync(AsgiApp, "deploy");
        Show("deploy 2", redeploy);
        Assert.True(redeploy.ExitCode == 0, redeploy.ToString());

        // The deploy said live: the new release answers, and the socket opened on the old one still echoes from it.
        var answers = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            answers.Add((await http.GetStringAsync("")).Trim());
        }

        var after = await socket.EchoAsync("after");
        var status = await stack.Testbed.SshAsync("web1", $"systemctl is-active {AsgiApp}.service; grep -c 'starting in' {AsgiDeployTo}/shared/log/serve.log");
        output.WriteLine($"HTTP after the deploy: {string.Join(" | ", answers)}");
        output.WriteLine($"echo after the deploy said live: {after}; unit and worker starts: {status.Stdout.Replace('\n', ' ')}");
        Assert.All(answers, a => Assert.StartsWith($"{second} ", a, StringComparison.Ordinal));
        Assert.Equal(before!.Split(':')[0], after?.Split(':')[0]);
        Assert.Equal(WebSocketStateOpen, socket.State);
    }

    private const System.Net.WebSockets.WebSocketState WebSocketStateOpen = System.Net.WebSockets.WebSocketState.Open;
}
