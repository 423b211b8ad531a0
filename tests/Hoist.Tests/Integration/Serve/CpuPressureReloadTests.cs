namespace Hoist.Tests.Integration.Serve;

using Hoist.Tests.Examples;
using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// The reload drill with the CPU saturated by a hog the test starts and stops: 5 reloads under 32 clients, not one
/// failed request, for each kind of worker (an HTTP/1.0 command app, an HTTP/1.1 keep-alive one, Flask on the gunicorn
/// path, examples/aspnet), each straight on hoist serve's socket and behind a real nginx.
/// </summary>
public sealed class CpuPressureReloadTests(AspnetExample example, ITestOutputHelper output) : IClassFixture<AspnetExample>
{
    private const int Clients = 32;
    private const int Reloads = 5;

    [Fact]
    public Task Http10_App_Direct_Fails_Nothing_Over_5_Reloads_With_The_Cpu_Saturated() => DrillAsync(App.Http10, viaNginx: false);

    [Fact]
    public Task Http10_App_Through_Nginx_Fails_Nothing_Over_5_Reloads_With_The_Cpu_Saturated() => DrillAsync(App.Http10, viaNginx: true);

    [Fact]
    public Task Http11_App_Direct_Fails_Nothing_Over_5_Reloads_With_The_Cpu_Saturated() => DrillAsync(App.Http11, viaNginx: false);

    [Fact]
    public Task Http11_App_Through_Nginx_Fails_Nothing_Over_5_Reloads_With_The_Cpu_Saturated() => DrillAsync(App.Http11, viaNginx: true);

    [Fact]
    public Task Flask_On_Gunicorn_Direct_Fails_Nothing_Over_5_Reloads_With_The_Cpu_Saturated() => DrillAsync(App.Flask, viaNginx: false);

    [Fact]
    public Task Flask_On_Gunicorn_Through_Nginx_Fails_Nothing_Over_5_Reloads_With_The_Cpu_Saturated() => DrillAsync(App.Flask, viaNginx: true);

    [Fact]
    public Task Aspnet_Direct_Fails_Nothing_Over_5_Reloads_With_The_Cpu_Saturated() => DrillAsync(App.Aspnet, viaNginx: false);

    [Fact]
    public Task Aspnet_Through_Nginx_Fails_Nothing_Over_5_Reloads_With_The_Cpu_Saturated() => DrillAsync(App.Aspnet, viaNginx: true);

    private async Task DrillAsync(App app, bool viaNginx)
    {
        using var dir = new TempDir($"hoist-cpu-{app}");
        ServeApps.OpenForNginx(dir);
        var socket = Path.Combine(await ServeApps.SocketFolderAsync(dir), "app.sock");
        var layout = await ReleasesAsync(app, dir);
        await layout.SwitchAsync("A");
        var touch = dir.Write("reload", "");
        var ini = dir.Write("serve.ini", string.Join('\n', [
            "[uwsgi]",
            $"socket = {socket}",
            "chmod-socket = 660",
            "processes = 2",
            $"chdir = {layout.Current}",
            .. AppLines(app, dir),
            "healthcheck = /up",
            $"pidfile = {dir.Combine("serve.pid")}",
            $"logto = {dir.Combine("serve.log")}",
            $"touch-reload = {touch}",
            "worker-reload-mercy = 10",
            "vacuum = true",
            ""]));
        await using var serve = await ServeProcess.StartAsync(ini, socket + ".ctl", ready: 2, dir.Combine("serve.log"));
        await using var nginx = viaNginx ? await TestNginx.StartAsync(dir.Combine("nginx"), socket) : null;
        using var direct = UnixHttp.Create(socket);
        var http = nginx?.Http ?? direct;
        Assert.Equal("A", await ReloadDrill.ReleaseAsync(http));

        output.WriteLine($"{app}, {(viaNginx ? "through nginx" : "direct on the socket")}, {Clients} clients, {Reloads} reloads, CPU saturated:");
        using var hog = CpuHog.Start();
        try
        {
            await ReloadDrill.RunAsync(serve, http, layout, touch, Clients, output, Reloads);
        }
        finally
        {
            output.WriteLine(hog.ToString());
            output.WriteLine($"forwarding failures logged by the front: {ForwarderErrors(serve)}");
        }
    }

    private static int ForwarderErrors(ServeProcess serve) =>
        serve.Log().Split('\n').Count(line => line.Contains("forwarding", StringComparison.Ordinal) && line.Contains("failed", StringComparison.Ordinal));

    private async Task<ReleaseLayout> ReleasesAsync(App app, TempDir dir)
    {
        var layout = new ReleaseLayout(dir.Combine("deploy"));
        var source = app switch
        {
            App.Flask => ServeApps.CopyFlaskApp(dir.Combine("app")),
            App.Aspnet => example.Release,
            _ => ServeApps.CopyHttpApp(dir.Combine("app")),
        };
        await layout.AddReleaseAsync("A", source);
        await layout.AddReleaseAsync("B", source);
        return layout;
    }

    private static string[] AppLines(App app, TempDir dir) => app switch
    {
        App.Http10 => ["command = exec python3 app.py"],
        App.Http11 => ["command = exec python3 app.py 1.1"],
        App.Flask => ["wsgi-file = wsgi.py", "callable = app"],
        _ => ["command = exec dotnet HoistDemo.dll", $"env = HOIST_DATA_DIR={dir.Combine("data")}", "env = DATABASE_URL="],
    };

    private enum App
    {
        Http10,
        Http11,
        Flask,
        Aspnet,
    }
}
