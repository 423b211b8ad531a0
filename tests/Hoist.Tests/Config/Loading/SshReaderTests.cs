namespace Hoist.Tests.Config.Loading;

using Hoist.Tests.Config;

public sealed class SshReaderTests
{
    private const string Head = "app: demo\nrepo: /srv/demo.git\nhosts: { web: 10.0.0.1 }\n";

    [Fact]
    public void Expands_Tilde_FromHome()
    {
        var ssh = TestConfig.Valid(Head + "ssh: { key: ~/.ssh/deploy, known_hosts: ~/kh }").Ssh;

        Assert.Equal("/home/me/.ssh/deploy", ssh.KeyPath);
        Assert.Equal("/home/me/kh", ssh.KnownHostsPath);
    }

    [Fact]
    public void Rejects_Tilde_WithoutHome()
    {
        var errors = TestConfig.Errors(Head + "ssh: { key: ~/.ssh/deploy }", new Dictionary<string, string>());

        Assert.Equal(
            [
                "hoist.yml:4:6: ssh.known_hosts: HOME is not set, so '~/.ssh/known_hosts' cannot be expanded; write an absolute path, or set ssh.known_hosts",
                "hoist.yml:4:13: ssh.key: HOME is not set, so '~/.ssh/deploy' cannot be expanded; write an absolute path",
            ],
            errors);
    }

    [Fact]
    public void Rejects_BadValues_NamingTheExpectedType()
    {
        var errors = TestConfig.Errors(Head + """
            ssh:
              user: "bad user"
              port: 0
              connect_timeout: 0
              forward_agent: yes
              key: ~other/.ssh/id
            """);

        Assert.Equal(
            [
                "hoist.yml:5:9: ssh.user: 'bad user' is not a valid user name",
                "hoist.yml:6:9: ssh.port: must be between 1 and 65535, got 0",
                "hoist.yml:7:20: ssh.connect_timeout: must be between 1 and 600, got 0",
                "hoist.yml:8:18: ssh.forward_agent: expected true or false, got 'yes'",
                "hoist.yml:9:8: ssh.key: '~other/.ssh/id': only '~/' is expanded, not '~user/'; write an absolute path",
            ],
            errors);
    }

    [Theory]
    [InlineData("3000000")]
    [InlineData("601")]
    public void Rejects_A_Connect_Timeout_Above_Ten_Minutes(string seconds)
    {
        // 3000000 s passed the check and then failed the connect with SSH.NET's "The timeout must represent a value
        // between -1 and Int32.MaxValue milliseconds", exit 1.
        Assert.Equal(
            $"hoist.yml:4:25: ssh.connect_timeout: must be between 1 and 600, got {seconds}",
            TestConfig.Single(Head + $"ssh: {{ connect_timeout: {seconds} }}"));
    }

    [Fact]
    public void Accepts_A_Connect_Timeout_Of_Ten_Minutes() =>
        Assert.Equal(TimeSpan.FromMinutes(10), TestConfig.Valid(Head + "ssh: { connect_timeout: 600 }").Ssh.ConnectTimeout);

    [Fact]
    public void Rejects_ForwardAgent_SayingWhatToDoInstead()
    {
        Assert.Equal(
            "hoist.yml:4:23: ssh.forward_agent: agent forwarding is not supported (the SSH library Hoist uses cannot forward an agent); " +
            "for a private repository, remove it and add 'fetch: local': this machine fetches repo with your keys and sends the commit " +
            "to each host, which needs no access to the repository (or install a deploy key on each host)",
            TestConfig.Single(Head + "ssh: { forward_agent: true }"));
    }

    [Fact]
    public void Accepts_ForwardAgent_False()
    {
        Assert.False(TestConfig.Valid(Head + "ssh: { forward_agent: false }").Ssh.ForwardAgent);
    }

    [Fact]
    public void Rejects_NulInPath_WithoutThrowing()
    {
        Assert.Equal(
            "hoist.yml:4:13: ssh.key: contains a NUL character (\\0), which no command, path or variable can carry; remove it",
            TestConfig.Single(Head + "ssh: { key: \"a\\0b\" }"));
    }

    [Fact]
    public void Offers_Classic_Curves_Before_Sntrup761_And_No_Sha1_Key_Exchange_By_Default()
    {
        var order = TestConfig.Valid(Head).Ssh.KexOrder;

        Assert.Equal("mlkem768x25519-sha256", order[0]);
        Assert.True(order.ToList().IndexOf("curve25519-sha256") < order.ToList().IndexOf("sntrup761x25519-sha512@openssh.com"));
        Assert.DoesNotContain(order, name => name.EndsWith("-sha1", StringComparison.Ordinal));
    }

    [Fact]
    public void Reads_Kex_Algorithms_In_The_Order_Given()
    {
        var ssh = TestConfig.Valid(Head + "ssh: { kex_algorithms: [sntrup761x25519-sha512@openssh.com, diffie-hellman-group14-sha1] }").Ssh;

        Assert.Equal(["sntrup761x25519-sha512@openssh.com", "diffie-hellman-group14-sha1"], ssh.KexOrder);
    }

    [Fact]
    public void Rejects_Unknown_Repeated_And_Empty_Kex_Algorithms()
    {
        var errors = TestConfig.Errors(Head + """
            ssh:
              kex_algorithms: [curve25519-sha265, curve25519-sha256, curve25519-sha256, rot13]
            """);
        var empty = TestConfig.Single(Head + "ssh: { kex_algorithms: [] }");

        Assert.Equal(
            [
                "hoist.yml:5:20: ssh.kex_algorithms[0]: 'curve25519-sha265' is not a key exchange Hoist knows; did you mean 'curve25519-sha256'?",
                "hoist.yml:5:58: ssh.kex_algorithms[2]: 'curve25519-sha256' is listed twice; list each key exchange once, the preferred first",
                "hoist.yml:5:77: ssh.kex_algorithms[3]: 'rot13' is not a key exchange Hoist knows; known: mlkem768x25519-sha256, curve25519-sha256, curve25519-sha256@libssh.org, ecdh-sha2-nistp256, ecdh-sha2-nistp384, ecdh-sha2-nistp521, sntrup761x25519-sha512, sntrup761x25519-sha512@openssh.com, diffie-hellman-group-exchange-sha256, diffie-hellman-group16-sha512, diffie-hellman-group18-sha512, diffie-hellman-group14-sha256, diffie-hellman-group-exchange-sha1, diffie-hellman-group14-sha1, diffie-hellman-group1-sha1",
            ],
            errors);
        Assert.StartsWith("hoist.yml:4:24: ssh.kex_algorithms: no key exchange listed; remove the key for the default order (mlkem768x25519-sha256, ", empty, StringComparison.Ordinal);
    }
}
