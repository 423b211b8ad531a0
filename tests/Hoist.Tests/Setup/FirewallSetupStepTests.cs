namespace Hoist.Tests.Setup;

using Hoist.Setup;
using Hoist.Tests.Config;
using Hoist.Tests.Support;

/// <summary>setup.firewall's scripts: the apply (checked, rollback armed, loaded), the confirm over a new connection, the removal.</summary>
public sealed class FirewallSetupStepTests
{
    private const string Yaml = """
        app: myproject
        repo: /srv/git/myproject.git
        deploy_to: /srv/myproject
        hosts:
          web: root@10.77.3.2
        ssh:
          connect_timeout: 7
        serve:
          socket: /srv/myproject/shared/run/app.sock
          chdir: /srv/myproject/current
          wsgi_file: wsgi.py
        setup:
          firewall: true
        """;

    [Fact]
    public void Apply_Checks_The_Rules_Arms_The_Rollback_Then_Loads_Them()
    {
        var config = TestConfig.Valid(Yaml);

        var script = FirewallSetupStep.Apply(config, FirewallRules.Render(config, config.AllHosts[0]), dryRun: false).Show();

        Golden.Match("setup/setup-firewall.sh", script);
        // The check, the rollback and the load in that order: rules that do not load never replace the table.
        var check = script.IndexOf("nft -c -f \"$fw.new\"", StringComparison.Ordinal);
        var arm = script.IndexOf("systemd-run --quiet --unit=hoist-firewall-rollback", StringComparison.Ordinal);
        var load = script.IndexOf("nft -f \"$fw.new\" ||", StringComparison.Ordinal);
        Assert.True(check > 0 && check < arm && arm < load, script);
        Assert.Contains("fw_wait=27", script, StringComparison.Ordinal);
        Assert.DoesNotContain("flush ruleset", script, StringComparison.Ordinal);
    }

    [Fact]
    public void Confirm_And_Remove_Scripts_Are_Golden()
    {
        Golden.Match("setup/setup-firewall-confirm.sh", FirewallSetupStep.Confirm().Show());
        Golden.Match("setup/setup-firewall-off.sh", FirewallSetupStep.Remove("myproject", dryRun: false).Show());
    }

    [Fact]
    public async Task Every_Firewall_Script_Parses_In_Bash()
    {
        var config = TestConfig.Valid(Yaml);
        using var dir = new TempDir();
        foreach (var script in new[] { FirewallSetupStep.Apply(config, FirewallRules.Render(config, config.AllHosts[0]), dryRun: true), FirewallSetupStep.Confirm(), FirewallSetupStep.Remove("myproject", dryRun: true) })
        {
            var file = dir.Write(script.Name + ".sh", script.Render(reveal: true));
            await Run.ShellAsync($"bash -n {file}");
        }
    }

    [Fact]
    public async Task The_App_Whose_Setup_Wrote_The_Kept_Rules_Is_Read_From_Their_First_Line_And_Nothing_When_There_Are_None()
    {
        var config = TestConfig.Valid(Yaml);
        using var dir = new TempDir();
        var rules = dir.Write("firewall.nft", FirewallRules.Render(config, config.AllHosts[0]));
        var script = FirewallSetupStep.Remove("other", dryRun: true).Render(reveal: true);
        var owner = script.Split('\n').Single(l => l.StartsWith("fw_owner()", StringComparison.Ordinal)).Replace("/etc/hoist/firewall.nft", rules, StringComparison.Ordinal);

        var read = await Run.ShellAsync($"set -e\n{owner}\nby=$(fw_owner); echo \"[$by]\"; rm {rules}; by=$(fw_owner); echo \"[$by]\"");

        Assert.Equal("[myproject]\n[]\n", read);
    }

    [Fact]
    public void Unit_Loads_The_Rules_At_Boot_And_After_Nftables_Service()
    {
        var unit = FirewallUnit.Render();

        Golden.Match("setup/hoist-firewall.service", unit);
        Assert.Contains("\nAfter=nftables.service\nPartOf=nftables.service\n", unit, StringComparison.Ordinal);
    }
}
