namespace Hoist.Tests.Config.Loading;

using Hoist.Config;
using Hoist.Tests.Config;

public sealed class HostsReaderTests
{
    private const string Head = "app: demo\nrepo: /srv/demo.git\n";

    [Fact]
    public void Accepts_SingleHost_AsOneItemList()
    {
        var config = TestConfig.Valid(Head + "hosts:\n  web: deploy@10.0.0.5");

        Assert.Equal(new HostConfig("10.0.0.5", 22, "deploy", false), Assert.Single(config.Roles[0].Hosts));
    }

    [Fact]
    public void Applies_SshDefaults_ToHosts()
    {
        var config = TestConfig.Valid(Head + "ssh: { user: deploy, port: 2200 }\nhosts: { web: [a.example, 'root@b.example:22'] }");

        Assert.Equal(
            [new HostConfig("a.example", 2200, "deploy", false), new HostConfig("b.example", 22, "root", false)],
            config.Roles[0].Hosts);
    }

    [Fact]
    public void Lists_SharedHost_OnceInAllHosts()
    {
        var config = TestConfig.Valid(Head + "hosts: { web: [10.0.0.1], db: [10.0.0.1, 10.0.0.2] }");

        Assert.Equal(2, config.Roles.Count);
        Assert.Equal(["10.0.0.1", "10.0.0.2"], config.AllHosts.Select(h => h.Address));
    }

    [Fact]
    public void Rejects_BadRoleName_EmptyRole_AndDuplicates()
    {
        var errors = TestConfig.Errors(Head + """
            hosts:
              Web: [10.0.0.1]
              db: []
              worker: [10.0.0.3, 10.0.0.3]
            """);

        Assert.Equal(
            [
                "hoist.yml:4:3: hosts.Web: role name 'Web' is invalid; use lowercase letters, digits, '_' and '-', starting with a letter",
                "hoist.yml:5:7: hosts.db: role 'db' has no hosts; list at least one, e.g. [203.0.113.10]",
                "hoist.yml:6:22: hosts.worker[1]: host '10.0.0.3' is listed twice in role 'worker'; remove one",
            ],
            errors);
    }

    [Fact]
    public void Rejects_EmptyHostsMapping()
    {
        Assert.Equal(
            "hoist.yml:3:8: hosts: no roles; add at least one, e.g. 'web: [203.0.113.10]'",
            TestConfig.Single(Head + "hosts: {}"));
    }

    [Fact]
    public void Rejects_NestedList_AsHost()
    {
        Assert.StartsWith(
            "hoist.yml:3:16: hosts.web[0]: expected a host (host, host:port",
            TestConfig.Single(Head + "hosts: { web: [[10.0.0.1]] }"));
    }
}
