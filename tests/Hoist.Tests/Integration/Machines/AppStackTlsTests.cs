namespace Hoist.Tests.Integration.Machines;

using System.Diagnostics;
using System.Text.RegularExpressions;
using Hoist.Tests.Support;

/// <summary>
/// setup.tls with no lb: web1 alone terminates TLS (a small WSGI app of its own, uploaded, with the firewall on as
/// `hoist init` writes it). Debian's pebble on this machine is the ACME server; certbot on web1 gets a certificate
/// over HTTP-01 through the firewall's port 80, web1's nginx serves the app on 443 with it (telling the app
/// X-Forwarded-Proto https), port 80 redirects but the challenge path, and a second setup changes nothing. Then
/// setup without tls puts the app back on plain HTTP and the certificate goes, so web1 is as the other tests know it.
/// No forced renewal: the lb test does that.
/// </summary>
public sealed partial class AppStackTests
{
    private const string TlsApp = "hoisttls";
    private const string TlsDeployTo = "/srv/hoisttls";
    private const string TlsName = "hoisttls.test";

    [Fact]
    public async Task Setup_Tls_On_The_Lone_Web_Host_Gets_A_Pebble_Certificate_Serves_Https_Redirects_Http_And_Changes_Nothing_The_Second_Time()
    {
        var web1 = stack.Address("web1");
        var release = stack.Dir.Combine("tls-release");
        Directory.CreateDirectory(release);
        await File.WriteAllTextAsync(Path.Combine(release, "app.py"), $$"""
            def application(environ, start_response):
                if environ["PATH_INFO"] == "/up":
                    body = b"ok\n"
                else:
                    body = ("Hello from {{TlsApp}} over %s\n" % environ.get("HTTP_X_FORWARDED_PROTO", "?")).encode()
                start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
                return [body]

            """);
        using var pebble = await Pebble.StartAsync(stack.Dir.Path, stack.Testbed.BridgeAddress, web1);
        string Config(bool tls) => $"""
            app: {TlsApp}
            upload: {release}
            deploy_to: {TlsDeployTo}
            {stack.HostsAndSsh(db: false)}
            serve:
              socket: {TlsDeployTo}/shared/run/app.sock
              chmod_socket: 660
              workers: 1
              chdir: {TlsDeployTo}/current
              wsgi_file: app.py
              callable: application
              healthcheck: /up
              logto: {TlsDeployTo}/shared/log/serve.log
              vacuum: true
            setup:
              packages:
                web: [gunicorn]
              firewall: true
              nginx:
                server_name: {TlsName}
            """ + (tls ? $"\n  tls:\n    email: ops@{TlsName}\n    domains: [{TlsName}]\n    acme_server: {pebble.Directory}\n    acme_ca: {pebble.CaFile}\n" : "\n");
        var config = Path.Combine(stack.AppDir(TlsApp), "hoist.yml");
        var resolve = new[] { "--resolve", $"{TlsName}:443:{web1}", "--resolve", $"{TlsName}:80:{web1}" };
        try
        {
            await File.WriteAllTextAsync(config, Config(tls: true));
            var watch = Stopwatch.StartNew();
            var setup = await stack.HoistAsync(TlsApp, "setup");
            output.WriteLine($"setup with setup.tls in {watch.Elapsed.TotalSeconds:F1} s: exit {setup.ExitCode}\n{Lines(setup, "certif", "certbot", "nginx", "firewall", "FAILED", "error")}");
            Assert.True(setup.ExitCode == 0, $"{setup}\npebble:\n{File.ReadAllText(pebble.Log)}");
            Assert.Matches($@"{Regex.Escape(web1)}: changed +certificate {TlsApp} \({Regex.Escape(TlsName)}\)\n", setup.Stdout);
            watch.Restart();
            var deploy = await stack.HoistAsync(TlsApp, "deploy");
            output.WriteLine($"deploy in {watch.Elapsed.TotalSeconds:F1} s: exit {deploy.ExitCode}\n{deploy.Stdout.Trim().Split('\n').Last()}");
            Assert.True(deploy.ExitCode == 0, deploy.ToString());

            var root = stack.Dir.Write("pebble-root.pem", await pebble.RootAsync());
            var https = await Run.ProcessAsync("curl", ["-sS", "-D", "-", "--max-time", "10", "--cacert", root, .. resolve, $"https://{TlsName}/"]);
            var issuer = await Run.ShellAsync($"openssl s_client -connect {web1}:443 -servername {TlsName} </dev/null 2>/dev/null | openssl x509 -noout -subject -issuer -ext subjectAltName");
            output.WriteLine($"curl --cacert pebble-root https://{TlsName}/ on web1: exit {https.ExitCode}, {https.Stdout.Split('\n')[0].Trim()}, body: {https.Stdout.Split("\r\n\r\n").Last().Trim()} {https.Stderr.Trim()}");
            output.WriteLine($"web1's certificate: {issuer.Trim().Replace('\n', ' ')}");
            Assert.True(https.ExitCode == 0, https.ToString());
            Assert.StartsWith("HTTP/1.1 200", https.Stdout, StringComparison.Ordinal);
            Assert.EndsWith($"\r\n\r\nHello from {TlsApp} over https\n", https.Stdout, StringComparison.Ordinal);
            Assert.Contains($"DNS:{TlsName}", issuer, StringComparison.Ordinal);

            var http = await Run.ProcessAsync("curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", "--max-time", "10", .. resolve, $"http://{TlsName}/a/b?c=1"]);
            var challenge = await Run.ProcessAsync("curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "10", .. resolve, $"http://{TlsName}/.well-known/acme-challenge/none"]);
            output.WriteLine($"http://{TlsName}/a/b?c=1: {http.Stdout}; the challenge path: {challenge.Stdout}");
            Assert.Equal($"301 https://{TlsName}/a/b?c=1", http.Stdout);
            Assert.Equal("404", challenge.Stdout);

            var site = $"sha256sum /etc/nginx/sites-available/{TlsApp} /etc/letsencrypt/renewal/{TlsApp}.conf /etc/hoist/firewall.nft; systemctl show -p ExecMainStartTimestampMonotonic --value nginx";
            var state = (await stack.Testbed.SshAsync("web1", site)).Stdout;
            watch.Restart();
            var again = await stack.HoistAsync(TlsApp, "setup");
            var stateAgain = (await stack.Testbed.SshAsync("web1", site)).Stdout;
            output.WriteLine($"setup again in {watch.Elapsed.TotalSeconds:F1} s: exit {again.ExitCode}\n{Lines(again, "certif", "changed", "FAILED")}");
            Assert.True(again.ExitCode == 0, again.ToString());
            Assert.Matches($@"{Regex.Escape(web1)}: ok +certificate {TlsApp} \({Regex.Escape(TlsName)}\)\n", again.Stdout);
            Assert.DoesNotMatch(@": changed ", again.Stdout);
            Assert.All(Regex.Matches(again.Stdout, @"ok: (\d+) changed"), m => Assert.Equal("0", m.Groups[1].Value));
            Assert.Equal(state, stateAgain);

            // A second app on web1 without a firewall of its own leaves this one's alone (it took it down before).
            var otherApp = TlsApp + "2";
            await File.WriteAllTextAsync(Path.Combine(stack.AppDir(otherApp), "hoist.yml"), Config(tls: false)
                .Replace(TlsApp, otherApp, StringComparison.Ordinal).Replace("  firewall: true\n", "", StringComparison.Ordinal));
            var other = await stack.HoistAsync(otherApp, "setup");
            var table = await stack.Testbed.SshAsync("web1", "nft list table inet hoist | grep -c accept; head -n1 /etc/hoist/firewall.nft");
            output.WriteLine($"setup of {otherApp} (no setup.firewall) on web1: exit {other.ExitCode}\n{Lines(other, "firewall")}\nweb1's table afterwards: {table.Stdout.Trim().Replace('\n', ' ')}");
            Assert.True(other.ExitCode == 0, other.ToString());
            Assert.Contains($"firewall left as it is (written by the setup of {TlsApp}; setup.firewall is false for {otherApp})", other.Stdout, StringComparison.Ordinal);
            Assert.Contains($" for {TlsApp}, written by", table.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            await File.WriteAllTextAsync(config, Config(tls: false));
            var off = await stack.HoistAsync(TlsApp, "setup");
            output.WriteLine($"setup without setup.tls: exit {off.ExitCode}\n{Lines(off, "nginx site", "FAILED", "error")}");
            // No certificate left for certbot's timer to try to renew from a gone pebble.
            await stack.Testbed.SshAsync("web1", $"certbot delete --non-interactive --cert-name {TlsApp} >/dev/null 2>&1; rm -f /etc/systemd/system/certbot.service.d/hoist-{TlsApp}.conf; systemctl daemon-reload");
            Assert.True(off.ExitCode == 0, off.ToString());
        }

        using var plain = stack.Http(TlsName);
        var page = await plain.GetStringAsync("");
        var closed = await Run.ProcessAsync("curl", ["-sS", "-k", "-o", "/dev/null", "--max-time", "5", .. resolve, $"https://{TlsName}/"]);
        output.WriteLine($"after setup without tls: http://{TlsName}/ {page.Trim()}; https exit {closed.ExitCode} ({closed.Stderr.Trim()})");
        Assert.Equal($"Hello from {TlsApp} over http", page.Trim());
        Assert.NotEqual(0, closed.ExitCode);
    }

    private static string Lines(RunResult result, params string[] words) =>
        string.Join('\n', (result.Stdout + result.Stderr).Split('\n').Where(l => words.Any(w => l.Contains(w, StringComparison.Ordinal))));
}
