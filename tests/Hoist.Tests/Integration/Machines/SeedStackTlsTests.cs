namespace Hoist.Tests.Integration.Machines;

using System.Diagnostics;
using System.Text.RegularExpressions;
using Hoist.Tests.Support;

/// <summary>
/// setup.tls on the machines, with Debian's pebble on this machine as the ACME server: certbot on lb1 gets a
/// certificate over HTTP-01, lb1 serves the app on 443 with it and redirects port 80 (but the challenge path), a forced
/// renewal reloads nginx through the deploy hook (the served certificate changes), a second setup changes nothing;
/// and setup without tls puts lb1 back on plain HTTP, as the other tests of the stack expect.
/// </summary>
public sealed partial class SeedStackTests
{
    [Fact]
    public async Task Setup_Tls_Gets_A_Pebble_Certificate_On_Lb1_Serves_Https_Redirects_Http_Renews_With_A_Reload_And_Changes_Nothing_The_Second_Time()
    {
        const string Name = SeedStack.ServerName;
        var lb1 = stack.Address("lb1");
        var config = Path.Combine(stack.Dir.Path, "hoist.yml");
        var original = await File.ReadAllTextAsync(config);
        using var pebble = await Pebble.StartAsync(stack.Dir.Path, stack.Testbed.BridgeAddress, lb1);
        var on = original.TrimEnd('\n') + $"\n  tls:\n    email: ops@{Name}\n    domains: [{Name}]\n    acme_server: {pebble.Directory}\n    acme_ca: {pebble.CaFile}\n    hsts: 300\n";
        var resolve = new[] { "--resolve", $"{Name}:443:{lb1}", "--resolve", $"{Name}:80:{lb1}" };
        async Task<string> Serial() =>
            (await Run.ShellAsync($"openssl s_client -connect {lb1}:443 -servername {Name} </dev/null 2>/dev/null | openssl x509 -noout -serial")).Trim();
        try
        {
            await File.WriteAllTextAsync(config, on);
            var watch = Stopwatch.StartNew();
            var setup = await stack.HoistAsync("setup");
            output.WriteLine($"setup with setup.tls in {watch.Elapsed.TotalSeconds:F1} s: exit {setup.ExitCode}\n{Lines(setup, "certif", "certbot", "nginx", "FAILED", "error")}");
            Assert.True(setup.ExitCode == 0, $"{setup}\npebble:\n{File.ReadAllText(pebble.Log)}");
            Assert.Matches($@"{Regex.Escape(lb1)}: changed +certificate {SeedStack.App} \({Regex.Escape(Name)}\)\n", setup.Stdout);
            Assert.Matches($@"{Regex.Escape(lb1)}: changed +packages \(certbot\)", setup.Stdout);

            var root = stack.Dir.Write("pebble-root.pem", await pebble.RootAsync());
            var https = await Run.ProcessAsync("curl", ["-sS", "-D", "-", "--max-time", "10", "--cacert", root, .. resolve, $"https://{Name}/"]);
            output.WriteLine($"curl https://{Name}/ through lb1: exit {https.ExitCode}, {https.Stdout.Split('\n')[0].Trim()}, {https.Stderr.Trim()}");
            Assert.True(https.ExitCode == 0, https.ToString());
            Assert.StartsWith("HTTP/1.1 200", https.Stdout, StringComparison.Ordinal);
            Assert.Contains("Strict-Transport-Security: max-age=300", https.Stdout, StringComparison.Ordinal);
            Assert.True(Visit(https.Stdout) > 0, https.Stdout);

            var http = await Run.ProcessAsync("curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", "--max-time", "10", .. resolve, $"http://{Name}/a/b?c=1"]);
            var challenge = await Run.ProcessAsync("curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "10", .. resolve, $"http://{Name}/.well-known/acme-challenge/none"]);
            output.WriteLine($"http://{Name}/a/b?c=1: {http.Stdout}; the challenge path: {challenge.Stdout}");
            Assert.Equal($"301 https://{Name}/a/b?c=1", http.Stdout);
            Assert.Equal("404", challenge.Stdout);

            var timer = await stack.Testbed.SshAsync("lb1", "systemctl is-enabled certbot.timer; systemctl is-active certbot.timer; systemctl show -p Environment --value certbot.service");
            output.WriteLine($"lb1's certbot.timer and certbot.service's environment: {timer.Stdout.Trim().Replace('\n', ' ')}");
            Assert.Equal(["enabled", "active"], timer.Stdout.Split('\n')[..2]);
            Assert.Contains($"REQUESTS_CA_BUNDLE=/etc/hoist/tls/{SeedStack.App}-acme-ca.pem", timer.Stdout, StringComparison.Ordinal);

            // A renewal as certbot's timer makes it (forced: the certificate is far from due); the deploy hook reloads nginx.
            // --no-random-sleep-on-renew: without a terminal certbot first sleeps a random 1 s to 8 min before it renews
            // (so that the world's timers do not all hit the CA at once); a second run of this test hung on exactly that.
            var before = await Serial();
            var renew = await stack.Testbed.SshAsync("lb1", $"REQUESTS_CA_BUNDLE=/etc/hoist/tls/{SeedStack.App}-acme-ca.pem certbot renew --force-renewal --no-random-sleep-on-renew --cert-name {SeedStack.App} 2>&1 | tail -n 5", TimeSpan.FromMinutes(2));
            var after = before;
            var waited = Stopwatch.StartNew();
            while (after == before && waited.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(100);
                after = await Serial();
            }

            output.WriteLine($"certbot renew --force-renewal: {renew.Stdout.Trim().Replace('\n', ' ')}\nserved certificate {before} before, {after} after ({waited.Elapsed.TotalSeconds:F1} s)");
            Assert.True(renew.ExitCode == 0, renew.ToString());
            Assert.StartsWith("serial=", before, StringComparison.Ordinal);
            Assert.StartsWith("serial=", after, StringComparison.Ordinal);
            Assert.NotEqual(before, after);

            var site = "sha256sum /etc/nginx/sites-available/hoistflask-lb /etc/letsencrypt/renewal/hoistflask.conf; systemctl show -p ExecMainStartTimestampMonotonic --value nginx";
            var state = (await stack.Testbed.SshAsync("lb1", site)).Stdout;
            var again = await stack.HoistAsync("setup");
            var stateAgain = (await stack.Testbed.SshAsync("lb1", site)).Stdout;
            output.WriteLine($"setup again: exit {again.ExitCode}\n{Lines(again, "certif", "certbot", "nginx", "changed", "FAILED")}");
            Assert.True(again.ExitCode == 0, again.ToString());
            Assert.Matches($@"{Regex.Escape(lb1)}: ok +certificate {SeedStack.App} \({Regex.Escape(Name)}\)\n", again.Stdout);
            Assert.DoesNotMatch(@": changed ", again.Stdout);
            Assert.Equal(state, stateAgain);
            Assert.Equal(after, await Serial());
        }
        finally
        {
            await File.WriteAllTextAsync(config, original);
            var off = await stack.HoistAsync("setup");
            output.WriteLine($"setup without setup.tls: exit {off.ExitCode}\n{Lines(off, "nginx site", "FAILED", "error")}");
            // The stack as the other tests know it: no certificate left for certbot's timer to try to renew from a gone pebble.
            await stack.Testbed.SshAsync("lb1", $"certbot delete --non-interactive --cert-name {SeedStack.App} >/dev/null 2>&1; rm -f /etc/systemd/system/certbot.service.d/hoist-{SeedStack.App}.conf; systemctl daemon-reload");
            Assert.True(off.ExitCode == 0, off.ToString());
        }

        var plain = await Run.ProcessAsync("curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "10", $"http://{lb1}/"]);
        var closed = await Run.ProcessAsync("curl", ["-sS", "-k", "-o", "/dev/null", "--max-time", "5", $"https://{lb1}/"]);
        output.WriteLine($"after setup without tls: http://lb1/ {plain.Stdout}; https://lb1/ exit {closed.ExitCode} ({closed.Stderr.Trim()})");
        Assert.Equal("200", plain.Stdout);
        Assert.NotEqual(0, closed.ExitCode);
    }
}
