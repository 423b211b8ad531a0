namespace Hoist.Tests.Integration;

using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Hoist.Tests.Examples;
using Hoist.Tests.Integration.Serve;
using Hoist.Tests.Support;

/// <summary>
/// The README's main job, in a temp folder on a free port: local_build, upload to the `local` host, and a reload
/// command that starts hoist serve in the background the first time and reloads it, without a failed request, after.
/// </summary>
public sealed class LocalDemoDeployTests(AspnetExample example) : IClassFixture<AspnetExample>, IDisposable
{
    private readonly TempDir dir = new("hoist-demo");

    public void Dispose() => dir.Dispose();

    [Fact]
    public async Task Deploy_Starts_Hoist_Serve_Then_Reloads_It_Without_Failures()
    {
        var port = FreePort.OnLoopback();
        var deployTo = dir.Combine("deploy");
        dir.Write("serve.ini", string.Join('\n',
            "[uwsgi]",
            $"base = {deployTo}",
            $"http-socket = 127.0.0.1:{port}",
            "processes = 2",
            "chdir = %(base)/current",
            "command = dotnet HoistDemo.dll",
            "healthcheck = /up",
            "pidfile = %(base)/shared/serve.pid",
            "logto = %(base)/shared/logs/serve.log",
            "env = HOIST_DATA_DIR=%(base)/shared/data",
            "vacuum = true",
            ""));
        dir.Write("hoist.yml", string.Join('\n',
            "app: demo",
            "local_build:",
            $"  - mkdir -p publish && cp -r {example.Release}/. publish/ && cp serve.ini publish/",
            "upload: ./publish",
            $"deploy_to: {deployTo}",
            "hosts:",
            "  web: [local]",
            "shared: [logs, data]",
            "reload: '\"$HOIST_BIN\" serve --ini current/serve.ini --daemon'",
            ""));
        var ini = Path.Combine(deployTo, "current", "serve.ini");
        try
        {
            var first = await HoistCli.RunAsync(dir.Path, "deploy");
            Assert.True(first.ExitCode == 0, first.ToString());
            Assert.Contains("local build: mkdir -p publish", first.Stdout);
            Assert.Contains("hoist serve started in the background", first.Stdout);
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            var release1 = await ReleaseAsync(http);
            Assert.Equal(CurrentRelease(deployTo), release1);

            var load = new ClientLoad(http, "api/info", clients: 8);
            RunResult second;
            LoadResult result;
            await using (load)
            {
                second = await HoistCli.RunAsync(dir.Path, "deploy");
                result = await load.StopAsync();
            }

            Assert.True(second.ExitCode == 0, second.ToString());
            Assert.Contains("reloaded: 2 worker(s)", second.Stdout);
            Assert.True(result.Total > 0);
            Assert.Empty(result.Failures);
            var release2 = await ReleaseAsync(http);
            Assert.NotEqual(release1, release2);
            Assert.Equal(CurrentRelease(deployTo), release2);

            var status = await HoistCli.RunAsync(dir.Path, "serve", "--ini", ini, "--status", "--json");
            using var json = JsonDocument.Parse(status.Stdout);
            var ready = json.RootElement.GetProperty("workers").EnumerateArray()
                .Where(w => w.GetProperty("state").GetString() == "ready").ToList();
            Assert.Equal(2, ready.Count);
            Assert.All(ready, w => Assert.EndsWith(release2, w.GetProperty("release").GetString()));
        }
        finally
        {
            await HoistCli.RunAsync(dir.Path, "serve", "--ini", ini, "--stop");
        }

        await WaitUntilAsync(() => !File.Exists(Path.Combine(deployTo, "shared", "serve.pid")));
    }

    private static async Task<string> ReleaseAsync(HttpClient http)
    {
        using var info = JsonDocument.Parse(await http.GetStringAsync("api/info"));
        return info.RootElement.GetProperty("release").GetString()!;
    }

    private static string CurrentRelease(string deployTo) =>
        Path.GetFileName(new DirectoryInfo(Path.Combine(deployTo, "current")).LinkTarget!);


    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 100 && !condition(); i++)
        {
            await Task.Delay(100);
        }

        Assert.True(condition(), "hoist serve did not vacuum its pidfile after --stop");
    }
}
