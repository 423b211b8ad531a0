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
            "hoist.yml:4:23: ssh.forward_agent: agent forwarding is not supported yet (the SSH library Hoist uses cannot forward an agent); " +
            "remove it and let each host read the repository itself: install a deploy key on the host, or set repo to a path or URL the host can read",
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
}
