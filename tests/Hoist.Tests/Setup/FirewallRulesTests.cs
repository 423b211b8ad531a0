namespace Hoist.Tests.Setup;

using Hoist.Config;
using Hoist.Setup;
using Hoist.Tests.Config;
using Hoist.Tests.Support;

/// <summary>setup.firewall's rules per host, as nft loads them: reviewed golden files for web, db and lb hosts.</summary>
public sealed class FirewallRulesTests
{
    private const string Yaml = """
        app: myproject
        repo: /srv/git/myproject.git
        deploy_to: /srv/myproject
        hosts:
          web: [root@10.77.3.2, root@10.77.3.4:2222]
          db: root@10.77.3.3
        serve:
          socket: /srv/myproject/shared/run/app.sock
          chdir: /srv/myproject/current
          wsgi_file: wsgi.py
        setup:
          firewall: true
          database: {}
        """;

    private const string WithLb = "\n  lb: [root@10.77.3.9, 'root@[2001:db8::9]']\n";

    [Fact]
    public void Web_Host_Without_An_Lb_Opens_Ssh_On_Its_Own_Port_And_Nginx_To_Everyone()
    {
        var config = TestConfig.Valid(Yaml);

        Golden.Match("setup/firewall-web.nft", FirewallRules.Render(config, Host(config, "web", 1)));
    }

    [Fact]
    public void Web_Host_Behind_An_Lb_Opens_Nginx_Only_To_The_Lb_Hosts_V4_And_V6()
    {
        var config = TestConfig.Valid(Yaml.Replace("\n  db:", WithLb + "  db:", StringComparison.Ordinal));

        Golden.Match("setup/firewall-web-behind-lb.nft", FirewallRules.Render(config, Host(config, "web", 0)));
    }

    [Fact]
    public void Db_Host_Opens_PostgreSQL_Only_To_The_Web_Hosts()
    {
        var config = TestConfig.Valid(Yaml);

        Golden.Match("setup/firewall-db.nft", FirewallRules.Render(config, Host(config, "db", 0)));
    }

    [Fact]
    public void Lb_Host_Opens_Its_Listen_Port_And_443_To_Everyone()
    {
        var config = TestConfig.Valid(Yaml.Replace("\n  db:", WithLb + "  db:", StringComparison.Ordinal).Replace("  database: {}", "  nginx: { listen: 8080 }", StringComparison.Ordinal));

        Golden.Match("setup/firewall-lb.nft", FirewallRules.Render(config, Host(config, "lb", 0)));
    }

    [Fact]
    public void Db_Port_And_Ranges_Follow_Setup_Database_Ranges_Written_As_Nft_Wants_Them()
    {
        var config = TestConfig.Valid(Yaml.Replace("  database: {}", "  database: { port: 6543, allow_from: [10.77.3.5/24, 10.77.4.7, 'fd00::5/64', '2001:db8::1'] }", StringComparison.Ordinal));

        var rules = FirewallRules.Render(config, Host(config, "db", 0));

        Assert.Contains("\t\tip saddr { 10.77.3.0/24, 10.77.4.7 } tcp dport 6543 accept comment \"db: PostgreSQL, from setup.database.allow_from\"\n", rules, StringComparison.Ordinal);
        Assert.Contains("\t\tip6 saddr { fd00::/64, 2001:db8::1 } tcp dport 6543 accept", rules, StringComparison.Ordinal);
        Assert.DoesNotContain("5432", rules, StringComparison.Ordinal);
    }

    [Fact]
    public void A_Host_In_Two_Roles_Gets_Both_Roles_Rules_In_One_Table()
    {
        var config = TestConfig.Valid(Yaml.Replace("db: root@10.77.3.3", "db: root@10.77.3.2", StringComparison.Ordinal));

        var rules = FirewallRules.Render(config, Host(config, "web", 0));

        Assert.StartsWith("# The firewall of 10.77.3.2 (web, db) for myproject", rules, StringComparison.Ordinal);
        Assert.Contains("tcp dport { 80, 443 } accept comment \"web: nginx\"", rules, StringComparison.Ordinal);
        Assert.Contains("ip saddr { 10.77.3.2, 10.77.3.4 } tcp dport 5432 accept", rules, StringComparison.Ordinal);
        Assert.Single(rules.Split('\n'), l => l.StartsWith("table inet hoist {", StringComparison.Ordinal));
    }

    [Fact]
    public void The_File_Replaces_Only_Hoists_Table_Never_The_Ruleset()
    {
        var config = TestConfig.Valid(Yaml);

        var rules = FirewallRules.Render(config, Host(config, "web", 0));

        // Declared first so that the delete never fails, then deleted and written whole: one nft transaction.
        Assert.Contains("\ntable inet hoist\ndelete table inet hoist\ntable inet hoist {\n", rules, StringComparison.Ordinal);
        Assert.DoesNotContain("flush", rules, StringComparison.Ordinal);
        Assert.DoesNotContain("table ip ", rules, StringComparison.Ordinal);
    }

    private static HostConfig Host(HoistConfig config, string role, int index) => config.Roles.Single(r => r.Name == role).Hosts[index];
}
