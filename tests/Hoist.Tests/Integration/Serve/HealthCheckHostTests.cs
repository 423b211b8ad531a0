namespace Hoist.Tests.Integration.Serve;

using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// The health check against apps as they are in the wild, on both paths (a command app probed by hoist serve, a
/// gunicorn worker checking itself): one that refuses any Host but its own (Django's ALLOWED_HOSTS) is ready once
/// `healthcheck-host` names it, and says why it is not without; one whose health path redirects is ready.
/// </summary>
public sealed class HealthCheckHostTests(ITestOutputHelper output)
{
    private const string Site = "myproject.test";

    [Theory]
    [InlineData("command")]
    [InlineData("gunicorn")]
    public async Task An_App_That_Refuses_Other_Hosts_Is_Ready_When_Asked_With_Healthcheck_Host_And_Says_Why_Without(string path)
    {
        using var dir = new TempDir("hoist-health-host");
        var refusing = $"env = ONLY_HOST={Site}";

        var (ini, socket) = Write(dir, path, refusing);
        await using (var unready = await ServeProcess.StartAsync(ini, socket + ".ctl", ready: 0, dir.Combine("serve.log")))
        {
            var why = await LogLineAsync(unready, "answered 400");
            output.WriteLine($"{path}, no healthcheck-host: {why}");
            Assert.Contains("(asked with Host: localhost; set healthcheck-host to a name the app allows)", why, StringComparison.Ordinal);
        }

        File.Delete(dir.Combine("serve.log"));
        (ini, socket) = Write(dir, path, refusing, $"healthcheck-host = {Site}");
        await using var serve = await ServeProcess.StartAsync(ini, socket + ".ctl", ready: 2, dir.Combine("serve.log"));
        using var http = UnixHttp.Create(socket);
        http.DefaultRequestHeaders.Host = Site;
        var release = await ReloadDrill.ReleaseAsync(http);
        output.WriteLine($"{path}, healthcheck-host = {Site}: 2 workers ready; api/info answered from {release}");
        Assert.False(serve.Log().Contains("answered 400", StringComparison.Ordinal), serve.Log());
    }

    [Theory]
    [InlineData("command")]
    [InlineData("gunicorn")]
    public async Task An_App_Whose_Health_Path_Redirects_Is_Ready(string path)
    {
        using var dir = new TempDir("hoist-health-redirect");
        var (ini, socket) = Write(dir, path, "env = UP_REDIRECTS=1");

        await using var serve = await ServeProcess.StartAsync(ini, socket + ".ctl", ready: 2, dir.Combine("serve.log"));

        using var http = UnixHttp.Create(socket, followRedirects: false);
        using var up = await http.GetAsync("up");
        output.WriteLine($"{path}: 2 workers ready; GET /up answers {(int)up.StatusCode} to {up.Headers.Location}");
        Assert.Equal(301, (int)up.StatusCode);
    }

    private static (string Ini, string Socket) Write(TempDir dir, string path, params string[] more)
    {
        var app = dir.Combine(path);
        if (!Directory.Exists(app))
        {
            _ = path == "gunicorn" ? ServeApps.CopyFlaskApp(app) : ServeApps.CopyHttpApp(app);
        }

        string[] lines = path == "gunicorn"
            ? [$"chdir = {app}", "wsgi-file = wsgi.py", "callable = app"]
            : [$"chdir = {app}", "command = exec python3 app.py"];
        var socket = dir.Combine("app.sock");
        var ini = dir.Write("serve.ini", string.Join('\n', [
            "[uwsgi]", $"socket = {socket}", "processes = 2", .. lines, "healthcheck = /up", "ready-timeout = 5",
            $"logto = {dir.Combine("serve.log")}", .. more, ""]));
        return (ini, socket);
    }

    /// <summary>The first log line containing <paramref name="text"/>, waited for up to 30 s.</summary>
    private static async Task<string> LogLineAsync(ServeProcess serve, string text)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (serve.Log().Split('\n').FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal)) is { } line)
            {
                return line;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"no log line with '{text}' in 30 s\n{serve.Log()}");
    }
}
