namespace Hoist.Tests.Support;

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

/// <summary>
/// Debian's pebble (a small ACME CA) on a testbed bridge address, with pebble-challtestsrv on loopback as its DNS:
/// every name resolves to <c>resolvesTo</c>, so pebble checks HTTP-01 answers on that host's port 80. pebble's own
/// HTTPS certificate is a self-signed one made here for the bridge address (<see cref="CaFile"/>, what setup.tls.acme_ca
/// names); its issuing root comes from its management interface (<see cref="RootAsync"/>). Both killed on dispose.
/// </summary>
public sealed class Pebble : IDisposable
{
    private readonly Process pebble;
    private readonly Process dns;
    private readonly int management;

    private Pebble(Process pebble, Process dns, string directory, string caFile, int management, string log) =>
        (this.pebble, this.dns, Directory, CaFile, this.management, Log) = (pebble, dns, directory, caFile, management, log);

    /// <summary>The ACME directory URL (setup.tls.acme_server).</summary>
    public string Directory { get; }

    /// <summary>The PEM file of the CA of pebble's HTTPS certificate (setup.tls.acme_ca).</summary>
    public string CaFile { get; }

    /// <summary>pebble's and challtestsrv's output, for a failing test's message.</summary>
    public string Log { get; }

    public static async Task<Pebble> StartAsync(string folder, string bridge, string resolvesTo)
    {
        var (cert, key, config, log) = (Path.Combine(folder, "pebble-cert.pem"), Path.Combine(folder, "pebble-key.pem"), Path.Combine(folder, "pebble.json"), Path.Combine(folder, "pebble.log"));
        await Run.ShellAsync($"openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=pebble -addext 'subjectAltName=IP:{bridge},IP:127.0.0.1' -keyout '{key}' -out '{cert}' 2>/dev/null");
        var acme = FreePort.On(IPAddress.Parse(bridge));
        var (management, dnsPort, dnsManagement) = (FreePort.OnLoopback(), FreePort.OnLoopback(), FreePort.OnLoopback());
        await File.WriteAllTextAsync(config, $$"""
            { "pebble": { "listenAddress": "{{bridge}}:{{acme}}", "managementListenAddress": "127.0.0.1:{{management}}",
              "certificate": "{{cert}}", "privateKey": "{{key}}", "httpPort": 80, "tlsPort": 443,
              "ocspResponderURL": "", "externalAccountBindingRequired": false } }
            """);
        // Output to a file: a pipe nobody reads would fill and stop them.
        var dns = Run.Start("bash", ["-c", $"exec pebble-challtestsrv -defaultIPv4 {resolvesTo} -defaultIPv6 '' -dns01 127.0.0.1:{dnsPort} -http01 '' -https01 '' -tlsalpn01 '' -management 127.0.0.1:{dnsManagement} >>'{log}' 2>&1"]);
        // No sleep before validating, no nonces refused at random (certbot would retry, slowly).
        var pebble = Run.Start("bash", ["-c", $"exec pebble -config '{config}' -dnsserver 127.0.0.1:{dnsPort} >>'{log}' 2>&1"],
            environment: new Dictionary<string, string> { ["PEBBLE_VA_NOSLEEP"] = "1", ["PEBBLE_WFE_NONCEREJECT"] = "0" });
        var started = new Pebble(pebble, dns, $"https://{bridge}:{acme}/dir", cert, management, log);
        try
        {
            await WaitAsync(bridge, acme, pebble);
            await WaitAsync("127.0.0.1", management, pebble);
            await WaitAsync("127.0.0.1", dnsManagement, dns);
            return started;
        }
        catch
        {
            started.Dispose();
            throw;
        }
    }

    /// <summary>pebble's issuing root now (a new one each start), for curl --cacert.</summary>
    public async Task<string> RootAsync()
    {
        var root = await Run.ProcessAsync("curl", ["-sSf", "--cacert", CaFile, $"https://127.0.0.1:{management}/roots/0"]);
        Assert.True(root.ExitCode == 0 && root.Stdout.Contains("BEGIN CERTIFICATE", StringComparison.Ordinal), root.ToString());
        return root.Stdout;
    }

    private static async Task WaitAsync(string address, int port, Process process)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(address, port);
                return;
            }
            catch (SocketException) when (watch.Elapsed < TimeSpan.FromSeconds(10) && !process.HasExited)
            {
                await Task.Delay(20);
            }
        }
    }

    public void Dispose()
    {
        foreach (var process in new[] { pebble, dns })
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }

            process.Dispose();
        }
    }
}
