namespace Hoist.Tests.Config.Loading;

using Hoist.Tests.Config;

/// <summary>setup.firewall: off unless set; on, refused where its rules could not be written (local, an lb by name).</summary>
public sealed class FirewallReaderTests
{
    private const string Base = """
        app: myproject
        repo: /srv/git/myproject.git
        deploy_to: /srv/myproject
        """;

    [Fact]
    public void Is_Off_By_Default_And_Reads_True()
    {
        Assert.False(TestConfig.Valid(Base + "\nhosts:\n  web: 10.0.0.1\nsetup: {}\n").Setup!.Firewall);
        Assert.True(TestConfig.Valid(Base + "\nhosts:\n  web: 10.0.0.1\nsetup:\n  firewall: true\n").Setup!.Firewall);
    }

    [Fact]
    public void Takes_Lb_Hosts_By_Address_And_Web_Hosts_By_Name()
    {
        var config = TestConfig.Valid(Base + "\nhosts:\n  web: [web1.example.com]\n  lb: [10.0.0.9, '2001:db8::9']\nsetup:\n  firewall: true\n");

        Assert.True(config.Setup!.Firewall);
    }

    [Theory]
    [InlineData("hosts:\n  web: 10.0.0.1\nsetup:\n  firewall: yes please", "hoist.yml:7:13: setup.firewall: ")]
    [InlineData("hosts:\n  web: local\nsetup:\n  firewall: true",
        "hoist.yml:7:13: setup.firewall: hosts.web has local, the machine hoist runs on, and setup.firewall would put nftables rules on it; set setup.firewall: false, or name that host by its SSH address")]
    [InlineData("hosts:\n  web: 10.0.0.1\n  lb: [10.0.0.9, lb2.example.com]\nsetup:\n  firewall: true",
        "hoist.yml:8:13: setup.firewall: the web hosts' firewall admits nginx's port only from the lb hosts' addresses, and lb2.example.com is a name, not an IP address; write hosts.lb as IP addresses (root@203.0.113.5), or set setup.firewall: false")]
    public void Refuses_With_The_Line_The_Path_And_The_Fix(string tail, string expected)
    {
        var errors = TestConfig.Errors(Base + "\n" + tail + "\n");

        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Off_Takes_A_Local_Host()
    {
        var config = TestConfig.Valid(Base + "\nhosts:\n  web: local\nsetup:\n  firewall: false\n");

        Assert.False(config.Setup!.Firewall);
    }
}
