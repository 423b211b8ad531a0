namespace Hoist.Tests.Integration.Machines;

using System.Diagnostics;
using System.Net;
using Hoist.Tests.Support;

/// <summary>
/// setup.tls that cannot succeed, each failing with the fix for its own cause and lb1 still serving plain HTTP: the
/// ACME server down (nothing listens on acme_server's port: before, the message blamed DNS and port 80), and the
/// domain resolving to a host that does not serve the challenge (db1: port 80 closed).
/// </summary>
public sealed partial class SeedStackTests
{
    [Fact]
    public async Task Setup_Tls_With_The_Acme_Server_Down_Fails_Naming_The_Server_And_Lb1_Keeps_Serving_Plain_Http()
    {
        const string Name = SeedStack.ServerName;
        var lb1 = stack.Address("lb1");
        var config = Path.Combine(stack.Dir.Path, "hoist.yml");
        var original = await File.ReadAllTextAsync(config);
        using var pebble = await Pebble.StartAsync(stack.Dir.Path, stack.Testbed.BridgeAddress, lb1);
        var down = $"https://{stack.Testbed.BridgeAddress}:{FreePort.On(IPAddress.Parse(stack.Testbed.BridgeAddress))}/dir";
        var on = original.TrimEnd('\n') + $"\n  tls:\n    email: ops@{Name}\n    domains: [{Name}]\n    acme_server: {down}\n    acme_ca: {pebble.CaFile}\n";
        try
        {
            await File.WriteAllTextAsync(config, on);
            var watch = Stopwatch.StartNew();
            var setup = await stack.HoistAsync("setup");
            output.WriteLine($"setup with acme_server {down} (nothing listening) in {watch.Elapsed.TotalSeconds:F1} s: exit {setup.ExitCode}\n{setup.Stderr.Trim()}");
            var plain = await Run.ProcessAsync("curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "10", $"http://{lb1}/"]);
            output.WriteLine($"http://lb1/ meanwhile: {plain.Stdout}");
            Assert.NotEqual(0, setup.ExitCode);
            Assert.Contains(down, setup.Stderr, StringComparison.Ordinal);
            Assert.Contains("could not reach the ACME server", setup.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("must resolve to", setup.Stderr, StringComparison.Ordinal);
            Assert.Equal("200", plain.Stdout);
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

    [Fact]
    public async Task Setup_Tls_Whose_Domain_Resolves_Where_Port_80_Is_Closed_Fails_Naming_The_Challenge_And_Lb1_Keeps_Serving_Plain_Http()
    {
        const string Name = SeedStack.ServerName;
        var lb1 = stack.Address("lb1");
        var config = Path.Combine(stack.Dir.Path, "hoist.yml");
        var original = await File.ReadAllTextAsync(config);
        using var pebble = await Pebble.StartAsync(stack.Dir.Path, stack.Testbed.BridgeAddress, stack.Address("db1"));
        var on = original.TrimEnd('\n') + $"\n  tls:\n    email: ops@{Name}\n    domains: [{Name}]\n    acme_server: {pebble.Directory}\n    acme_ca: {pebble.CaFile}\n";
        try
        {
            await File.WriteAllTextAsync(config, on);
            var watch = Stopwatch.StartNew();
            var setup = await stack.HoistAsync("setup");
            output.WriteLine($"setup with {Name} resolving to db1 in {watch.Elapsed.TotalSeconds:F1} s: exit {setup.ExitCode}\n{setup.Stderr.Trim()}");
            var plain = await Run.ProcessAsync("curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "10", $"http://{lb1}/"]);
            var https = await Run.ProcessAsync("curl", ["-sS", "-k", "-o", "/dev/null", "--max-time", "5", $"https://{lb1}/"]);
            output.WriteLine($"http://lb1/ meanwhile: {plain.Stdout}; https://lb1/: exit {https.ExitCode}");
            Assert.NotEqual(0, setup.ExitCode);
            Assert.Contains($"certbot could not get a certificate for {Name} from {pebble.Directory} (above): the CA could not check the challenge; each name must resolve to lb1's public address and reach its port 80", setup.Stderr, StringComparison.Ordinal);
            Assert.Equal("200", plain.Stdout);
            Assert.NotEqual(0, https.ExitCode);
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
