namespace Hoist.Tests.Integration.Serve;

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Hoist.Tests.Support;

/// <summary>
/// A real nginx (Debian's) on a free 127.0.0.1 port with a config, pid, logs and temp paths of its own, in front of a
/// unix socket with the site the seed chapter writes, but with proxy_pass to hoist serve instead of uwsgi_pass.
/// Started as root, its workers run as www-data, so they reach the socket only through its group and mode.
/// </summary>
internal sealed class TestNginx : IAsyncDisposable
{
    public const string ServerName = "myproject.test";
    private readonly Process process;
    private readonly string prefix;

    private TestNginx(Process process, string prefix, int port)
    {
        this.process = process;
        this.prefix = prefix;
        Port = port;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) };
        Http.DefaultRequestHeaders.Host = ServerName;
    }

    public int Port { get; }

    /// <summary>A client of this nginx that sends <c>Host: myproject.test</c>.</summary>
    public HttpClient Http { get; }

    public string ErrorLog => Path.Combine(prefix, "error.log");

    /// <summary>The group nginx's workers run in; a socket of hoist serve's for them must be in it.</summary>
    public static string WorkerGroup => Environment.UserName == "root" ? "www-data" : Environment.UserName;

    /// <param name="websockets">With the WebSocket lines of Hoist's own sites (<see cref="Hoist.Setup.NginxUpgradeMap"/>):
    /// the map in http, HTTP/1.1, Upgrade, Connection and the long read timeout in the location.</param>
    public static async Task<TestNginx> StartAsync(string prefix, string upstreamSocket, bool websockets = false)
    {
        const string nginx = "/usr/sbin/nginx";
        if (!File.Exists(nginx))
        {
            throw new InvalidOperationException("nginx is not installed: run scripts/install-test-deps (apt-get install nginx)");
        }

        Directory.CreateDirectory(Path.Combine(prefix, "temp"));
        var port = FreePort.OnLoopback();
        var config = Path.Combine(prefix, "nginx.conf");
        var temp = Path.Combine(prefix, "temp");
        var map = websockets ? Hoist.Setup.NginxUpgradeMap.Conf : "";
        var upgrade = websockets ? Hoist.Setup.NginxUpgradeMap.ProxyLines("1h", "                        ") : "";
        await File.WriteAllTextAsync(config, $$"""
            # user only applies when nginx starts as root.
            user www-data {{WorkerGroup}};
            worker_processes 1;
            pid {{prefix}}/nginx.pid;
            error_log {{prefix}}/error.log info;
            events { worker_connections 1024; }
            http {
                access_log {{prefix}}/access.log;
                client_body_temp_path {{temp}}/body;
                proxy_temp_path {{temp}}/proxy;
                fastcgi_temp_path {{temp}}/fastcgi;
                uwsgi_temp_path {{temp}}/uwsgi;
                scgi_temp_path {{temp}}/scgi;
            {{map}}
                server {
                    listen 127.0.0.1:{{port}};
                    server_name {{ServerName}};
                    location / {
                        proxy_pass http://unix:{{upstreamSocket}}:;
            {{upgrade}}
                        proxy_set_header Host $host;
                        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                        proxy_set_header X-Forwarded-Proto $scheme;
                        proxy_set_header X-Forwarded-Host $host;
                    }
                }
            }

            """);
        var process = Run.Start(nginx, ["-c", config, "-p", prefix, "-e", Path.Combine(prefix, "error.log"), "-g", "daemon off;"]);
        var started = new TestNginx(process, prefix, port);
        try
        {
            await started.WaitForPortAsync();
        }
        catch
        {
            await started.DisposeAsync();
            throw;
        }

        return started;
    }

    public string Errors() => File.Exists(ErrorLog) ? File.ReadAllText(ErrorLog) : "";

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!process.HasExited)
        {
            // SIGTERM is nginx's fast shutdown; SIGKILL (Process.Kill) would leave its workers holding the port.
            await Run.ProcessAsync("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        process.Dispose();
    }

    private async Task WaitForPortAsync()
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(15))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"nginx exited with {process.ExitCode}: {await process.StandardError.ReadToEndAsync()}\n{Errors()}");
            }

            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(20);
            }
        }

        throw new TimeoutException($"nginx did not listen on 127.0.0.1:{Port} within 15 s\n{Errors()}");
    }

}
