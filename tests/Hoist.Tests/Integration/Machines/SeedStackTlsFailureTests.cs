namespace Hoist.Tests.Integration.Machines;

using System.Diagnostics;
using System.Net;
using Hoist.Tests.Support;

/// <summary>
/// setup.tls that cannot succeed, each failing with the fix for its own cause and lb1 still serving plain HTTP, nothing
/// on 443: the ACME server down (nothing listens on acme_server's port: before, the message blamed DNS and port 80),
/// then the domain resolving to a host that does not serve the challenge (pebble resolves it to db1: port 80 closed).
/// </summary>
public sealed partial class SeedStackTests
{
    [Fact]
    public async Task Setup_Tls_With_The_Acme_Server_Down_Or_The_Challenge_Unreachable_Fails_Naming_The_Cause_And_Lb1_Keeps_Serving_Plain_Http()
    {
        const string Name = SeedStack.ServerName;
        var lb1 = stack.Address("lb1");
        var config = Path.Combine(stack.Dir.Path, "hoist.yml");
        var original = await File.ReadAllTextAsync(config);
        using var pebble = await Pebble.StartAsync(stack.Dir.Path, stack.Testbed.BridgeAddress, stack.Address("db1"));
        var down = $"https://{stack.Testbed.BridgeAddress}:{FreePort.On(IPAddress.Parse(stack.Testbed.BridgeAddress))}/dir";

        async Task<string> FailingSetupAsync(string server, string what)
        {
            await File.WriteAllTextAsync(config, original.TrimEnd('\n') + $"\n  tls:\n    email: ops@{Name}\n    domains: [{Name}]\n    acme_server: {server}\n    acme_ca: {pebble.CaFile}\n");
            var watch = Stopwatch.StartNew();
            var setup = await stack.HoistAsync("setup");
            output.WriteLine($"setup with {what} in {watch.Elapsed.TotalSeconds:F1} s: exit {setup.ExitCode}\n{setup.Stderr.Trim()}");
            var plain = await Run.ProcessAsync("curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "10", $"http://{lb1}/"]);
            var https = await Run.ProcessAsync("curl", ["-sS", "-k", "-o", "/dev/null", "--max-time", "5", $"https://{lb1}/"]);
            output.WriteLine($"http://lb1/ meanwhile: {plain.Stdout}; https://lb1/: exit {https.ExitCode}");
            Assert.NotEqual(0, setup.ExitCode);
            Assert.Equal("200", plain.Stdout);
            Assert.NotEqual(0, https.ExitCode);
            return setup.Stderr;
        }

        try
        {
            var unreachable = await FailingSetupAsync(down, $"acme_server {down} (nothing listening)");
            Assert.Contains(down, unreachable, StringComparison.Ordinal);
            Assert.Contains("could not reach the ACME server", unreachable, StringComparison.Ordinal);
            Assert.DoesNotContain("must resolve to", unreachable, StringComparison.Ordinal);

            var challenge = await FailingSetupAsync(pebble.Directory, $"{Name} resolving to db1");
            Assert.Contains($"certbot could not get a certificate for {Name} from {pebble.Directory} (above): the CA could not check the challenge; each name must resolve to lb1's public address and reach its port 80", challenge, StringComparison.Ordinal);
        }
        finally
        {
            await File.WriteAllTextAsync(config, original);
            var off = await stack.HoistAsync("setup");
            output.WriteLine($"setup without setup.tls: exit {off.ExitCode}");
            await stack.Testbed.SshAsync("lb1", $"certbot delete --non-interactive --cert-name {SeedStack.App} >/dev/null 2>&1; rm -f /etc/systemd/system/certbot.service.d/hoist-{SeedStack.App}.conf; systemctl daemon-reload");
            Assert.True(off.ExitCode == 0, off.ToString());
        }
    }
}
