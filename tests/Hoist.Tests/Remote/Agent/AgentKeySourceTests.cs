namespace Hoist.Tests.Remote.Agent;

using Hoist.Remote.Agent;

public sealed class AgentKeySourceTests
{
    [Fact]
    public void Lists_Each_Way_Each_Key_Signs_In_Agent_Order()
    {
        var ed25519 = new AgentIdentity(Wire.Of("ssh-ed25519", new byte[] { 1 }), "a");
        var rsa = new AgentIdentity(Wire.Of("ssh-rsa", new byte[] { 2 }), "b");
        var unnamed = new AgentIdentity([0, 0, 0, 0], "no type");

        var source = AgentKeySource.For(new AgentClient("/nowhere"), [ed25519, unnamed, rsa]);

        Assert.Equal(
            ["ssh-ed25519", "rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"],
            source.HostKeyAlgorithms.Select(a => a.Name));
        Assert.Equal(
            [ed25519.Blob, rsa.Blob, rsa.Blob, rsa.Blob],
            source.HostKeyAlgorithms.Select(a => a.Data));
    }
}
