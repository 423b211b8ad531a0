namespace Hoist.Tests.Setup;

using Hoist.Check;
using Hoist.Config;
using Hoist.Core;
using Hoist.Deploy;
using Hoist.Setup;
using Hoist.Tests.Config;
using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>The lb role (hosts.lb): its nginx site, setup's script for it, the drain's scripts, and what the web hosts trust.</summary>
public sealed class LbSiteTests(ITestOutputHelper output)
{
    internal static readonly string Yaml = SetupFilesTests.Yaml.Replace(
        "  db: root@10.77.3.3\n", "  db: root@10.77.3.3\n  lb: root@10.77.3.5\n", StringComparison.Ordinal);

    private static HoistConfig Config => TestConfig.Valid(Yaml);

    private static HostConfig Web(int index) => LbRole.Web(Config)[index];

    [Fact]
    public void Lb_Site_Spreads_Requests_Over_Both_Web_Hosts_With_Passive_Health_And_Keep_Alive()
    {
        var site = LbSite.Render(Config, []);

        output.WriteLine(site);
        Golden.Match("setup/lb-site.conf", site);
    }

    [Fact]
    public void Lb_Site_With_One_Web_Host_Drained_Marks_It_Down()
    {
        var site = LbSite.Render(Config, [Web(0).Key]);

        output.WriteLine(site);
        Golden.Match("setup/lb-site-drained.conf", site);
        Assert.Contains("server 10.77.3.2:80 max_fails=3 fail_timeout=10s down;", site, StringComparison.Ordinal);
        Assert.Contains("server 10.77.3.4:80 max_fails=3 fail_timeout=10s;", site, StringComparison.Ordinal);
    }

    [Fact]
    public void Lb_Setup_Script_Installs_Nginx_And_Writes_The_Site_Checked_And_Atomically()
    {
        var script = LbSetupScript.Build(Config, ["curl"], dryRun: false);

        Golden.Match("setup/setup-lb.sh", script.Show());
        Assert.True(script.AsRoot);
    }

    [Fact]
    public void Drain_And_Restore_Write_The_Same_Site_As_Render_Through_Nginx_T()
    {
        var drain = LbDrain.Out(Config, [Web(1)]).Show();
        var restore = LbDrain.Back(Config).Show();

        Golden.Match("setup/lb-drain.sh", drain);
        Assert.Contains("server 10.77.3.4:80 max_fails=3 fail_timeout=10s down;", drain, StringComparison.Ordinal);
        Assert.DoesNotContain(" down;", restore, StringComparison.Ordinal);
        Assert.Contains("nginx -t", restore, StringComparison.Ordinal);
        Assert.DoesNotContain("\npackages ", drain, StringComparison.Ordinal);
    }

    [Fact]
    public void Setup_Writes_Every_Web_Host_In_The_Upstream()
    {
        var setup = LbSetupScript.Build(Config, [], dryRun: false).Show();

        Assert.DoesNotContain(" down;", setup, StringComparison.Ordinal);
        Assert.All(LbRole.Web(Config), w => Assert.Contains($"server {LbSite.Server(Config, w)} max_fails=3 fail_timeout=10s;", setup, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_Drain_Script_Reports_The_Web_Hosts_The_Site_Had_Down_Before_It_Wrote_It()
    {
        using var dir = new TempDir("hoist-lb-down");
        // As a run killed mid-batch leaves it: web host 1 down.
        var site = dir.Write("site", LbSite.Render(Config, [Web(1).Key]));
        var script = new Hoist.Shell.ScriptBuilder("look");
        LbSetupScript.ReportDown(script, site);
        var body = string.Join('\n', script.Build().Lines.Select(l => l.Render(reveal: true)));

        var ran = await Run.ProcessAsync("bash", ["-c", body]);
        var run = Hoist.Remote.HostRun.From(LbRole.Hosts(Config)[0], ran.ExitCode, ran.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => (l, false)));
        var none = Hoist.Remote.HostRun.From(LbRole.Hosts(Config)[0], 0, []);

        Assert.True(ran.ExitCode == 0, ran.ToString());
        Assert.Equal([Web(1)], LbSetupScript.WasDown(Config, run));
        Assert.Empty(LbSetupScript.WasDown(Config, none));
    }

    [Theory]
    [InlineData("lb")]
    [InlineData("lb-drained")]
    [InlineData("web-behind-lb")]
    public async Task Rendered_Sites_Pass_Nginx_T(string which)
    {
        var site = which switch
        {
            "lb" => LbSite.Render(Config, []),
            "lb-drained" => LbSite.Render(Config, [Web(0).Key]),
            _ => NginxSite.Render(Config.App, Config.DeployTo, Config.Setup!.Nginx, Config.Serve!.Listen, LbSite.Addresses(Config)),
        };
        using var dir = new TempDir("hoist-lb-site");
        dir.Write("site.conf", site);
        dir.Write("map.conf", NginxUpgradeMap.Conf);
        // Two sites on one host (two apps, or a web site and an lb site) share the one map: nginx takes both.
        dir.Write("other.conf", site.Replace($"server_name {Config.Setup!.Nginx.ServerName};", "server_name other.test;", StringComparison.Ordinal)
            .Replace("upstream hoist_", "upstream other_", StringComparison.Ordinal).Replace("http://hoist_", "http://other_", StringComparison.Ordinal));
        var main = dir.Write("nginx.conf", $"events {{}}\nhttp {{ include {dir.Combine("map.conf")}; include {dir.Combine("site.conf")}; include {dir.Combine("other.conf")}; }}\n");

        var result = await Run.ProcessAsync("nginx", ["-t", "-p", dir.Path, "-c", main, "-e", "stderr", "-g", $"pid {dir.Combine("nginx.pid")};"]);

        output.WriteLine(result.ToString());
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public void Rejects_Draining_Every_Web_Host()
    {
        var error = Assert.Throws<HoistException>(() => LbDrain.Out(Config, [Web(0), Web(1)]));

        Assert.Equal(2, error.ExitCode);
        Assert.Contains("nothing to serve", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Web_Site_Takes_The_Client_Address_From_The_Lb_Only()
    {
        var site = NginxSite.Render(Config.App, Config.DeployTo, Config.Setup!.Nginx, Config.Serve!.Listen, LbSite.Addresses(Config));

        Golden.Match("setup/nginx-site-behind-lb.conf", site);
        Assert.Contains("    set_real_ip_from 10.77.3.5;\n    real_ip_header X-Real-IP;\n", site, StringComparison.Ordinal);
        Assert.DoesNotContain("set_real_ip_from", NginxSite.Render(Config.App, Config.DeployTo, Config.Setup!.Nginx, Config.Serve!.Listen), StringComparison.Ordinal);
    }

    [Fact]
    public void Web_Script_Without_Lb_Trusts_No_Forwarded_Address()
    {
        var script = WebSetupScript.Build(TestConfig.Valid(SetupFilesTests.Yaml), [], new WebSecrets(null, null), "upload-0123456789ab", dryRun: false).Show();

        Assert.DoesNotContain("set_real_ip_from", script, StringComparison.Ordinal);
    }

    [Fact]
    public void Lb_Host_Gets_No_Releases_And_Check_Makes_Nothing_There()
    {
        var lb = LbRole.Hosts(Config)[0];

        Assert.False(Config.GetsReleases(lb));
        Assert.True(Config.GetsReleases(Web(0)));
        Assert.DoesNotContain("deploy_to", Checker.Build(Config, lb).Show(), StringComparison.Ordinal);
        Assert.NotEqual(lb.Key, FleetLock.Leader(Config).Key);
    }

    [Theory]
    [InlineData("  lb: root@10.77.3.2\n", "hosts.lb: 10.77.3.2 is both an lb and a web host")]
    [InlineData("  lb: local\n", "hosts.lb: an lb host cannot be 'local'")]
    public void Rejects_Lb_Hosts_It_Cannot_Put_In_Front(string lb, string expected)
    {
        var yaml = SetupFilesTests.Yaml.Replace("  db: root@10.77.3.3\n", "  db: root@10.77.3.3\n" + lb, StringComparison.Ordinal);

        Assert.Contains(TestConfig.Errors(yaml), e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Rejects_An_Lb_Without_Web_Hosts()
    {
        var yaml = SetupFilesTests.Yaml.Replace("  web: [root@10.77.3.2, root@10.77.3.4]\n", "  app: [root@10.77.3.2]\n  lb: root@10.77.3.5\n", StringComparison.Ordinal)
            .Replace("  db: root@10.77.3.3\n", "", StringComparison.Ordinal);

        Assert.Contains(TestConfig.Errors(yaml), e => e.Contains("hosts.lb: an lb host spreads requests over the web hosts, and there are none", StringComparison.Ordinal));
    }
}
