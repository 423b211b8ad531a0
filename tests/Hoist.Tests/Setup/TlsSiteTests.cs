namespace Hoist.Tests.Setup;

using Hoist.Config;
using Hoist.Deploy;
using Hoist.Setup;
using Hoist.Tests.Config;
using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>setup.tls's sites and scripts: the lb's before and after the certificate, the web hosts behind it, a lone web host's, all through nginx -t.</summary>
public sealed class TlsSiteTests(ITestOutputHelper output)
{
    private const string Tls = "  tls:\n    email: ops@myproject.example.com\n    domains: [myproject.example.com, www.myproject.example.com]\n    hsts: true\n";

    private static HoistConfig AtLb => TestConfig.Valid(LbSiteTests.Yaml.TrimEnd('\n') + "\n" + Tls);

    private static HoistConfig AtWeb => TestConfig.Valid(SetupFilesTests.Yaml.Replace("web: [root@10.77.3.2, root@10.77.3.4]", "web: [root@10.77.3.2]", StringComparison.Ordinal).TrimEnd('\n') + "\n" + Tls);

    private static string Web(HoistConfig config, bool live) =>
        NginxSite.Render(config.App, config.DeployTo, config.Setup!.Nginx, config.Serve!.Listen, LbSite.Addresses(config), TlsRole.AtWeb(config) ? config.Setup.Tls : null, live, TlsRole.AtLb(config));

    [Fact]
    public void Lb_Site_Before_The_Certificate_Serves_Plain_Http_And_The_Challenge_Path()
    {
        var site = LbSite.Render(AtLb, []);

        Golden.Match("setup/lb-site-tls-pending.conf", site);
        Assert.DoesNotContain("443", site, StringComparison.Ordinal);
        Assert.Contains("location ^~ /.well-known/acme-challenge/ {\n        root /var/lib/hoist/acme/myproject;", site, StringComparison.Ordinal);
    }

    [Fact]
    public void Lb_Site_With_The_Certificate_Redirects_Port_80_But_The_Challenge_And_Serves_443_With_Hsts()
    {
        var site = LbSite.Render(AtLb, [], live: true);

        Golden.Match("setup/lb-site-tls.conf", site);
        Assert.Contains("return 301 https://$host$request_uri;", site, StringComparison.Ordinal);
        Assert.Contains("listen 443 ssl;", site, StringComparison.Ordinal);
        Assert.Contains("ssl_certificate /etc/letsencrypt/live/myproject/fullchain.pem;", site, StringComparison.Ordinal);
        Assert.Contains($"add_header Strict-Transport-Security \"max-age={TlsSetup.HstsYear}\" always;", site, StringComparison.Ordinal);
    }

    [Fact]
    public void Web_Hosts_Behind_A_Tls_Lb_Stay_On_Port_80_And_Tell_The_App_It_Was_Https()
    {
        var site = Web(AtLb, live: true);

        Assert.Contains("proxy_set_header X-Forwarded-Proto https;", site, StringComparison.Ordinal);
        Assert.DoesNotContain("443", site, StringComparison.Ordinal);
        Assert.DoesNotContain("acme-challenge", site, StringComparison.Ordinal);
    }

    [Fact]
    public void A_Lone_Web_Host_Terminates_Tls_Itself()
    {
        var site = Web(AtWeb, live: true);

        Golden.Match("setup/nginx-site-tls.conf", site);
        Assert.Contains("listen 443 ssl;", site, StringComparison.Ordinal);
        Assert.Contains("proxy_set_header X-Forwarded-Proto $scheme;", site, StringComparison.Ordinal);
    }

    [Fact]
    public void Setup_Scripts_Install_Certbot_Where_Tls_Terminates_Only()
    {
        var lb = LbSetupScript.Build(AtLb, [], dryRun: false).Show();
        var behind = WebSetupScript.Build(AtLb, [], new WebSecrets(null, null), "hash", dryRun: false).Show();
        var alone = WebSetupScript.Build(AtWeb, [], new WebSecrets(null, null), "hash", dryRun: false).Show();

        Golden.Match("setup/setup-lb-tls.sh", lb);
        Assert.Contains("packages nginx certbot", lb, StringComparison.Ordinal);
        Assert.DoesNotContain("certbot", behind, StringComparison.Ordinal);
        Assert.Contains("certbot certonly --non-interactive", alone, StringComparison.Ordinal);
    }

    [Fact]
    public void A_Drain_Asks_No_Ca_And_Writes_The_Https_Site_Only_Once_The_Certificate_Exists()
    {
        var drain = LbDrain.Back(AtLb).Show();

        Assert.DoesNotContain("certonly", drain, StringComparison.Ordinal);
        Assert.Contains("then conf=$conf_live; else conf=$conf_plain; fi", drain, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("lb-pending")]
    [InlineData("lb-live")]
    [InlineData("web-live")]
    public async Task Tls_Sites_Pass_Nginx_T(string which)
    {
        using var dir = new TempDir("hoist-tls-site");
        await Run.ShellAsync($"openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=t -keyout '{dir.Combine("privkey.pem")}' -out '{dir.Combine("fullchain.pem")}' 2>/dev/null");
        var site = (which switch
        {
            "lb-pending" => LbSite.Render(AtLb, []),
            "lb-live" => LbSite.Render(AtLb, [], live: true),
            _ => Web(AtWeb, live: true),
        }).Replace("/etc/letsencrypt/live/myproject", dir.Path, StringComparison.Ordinal);
        dir.Write("site.conf", site);
        // The map every site's Connection header comes from, as setup writes it into conf.d before any site.
        dir.Write("map.conf", NginxUpgradeMap.Conf);
        var main = dir.Write("nginx.conf", $"events {{}}\nhttp {{ include {dir.Combine("map.conf")}; include {dir.Combine("site.conf")}; }}\n");

        var result = await Run.ProcessAsync("nginx", ["-t", "-p", dir.Path, "-c", main, "-e", "stderr", "-g", $"pid {dir.Combine("nginx.pid")};"]);

        output.WriteLine(result.ToString());
        Assert.True(result.ExitCode == 0, result.ToString());
    }
}
