namespace Hoist.Tests.Remote.Agent;

using Hoist.Core;
using Hoist.Remote.Agent;
using Hoist.Tests.Support;

public sealed class AgentClientTests : IDisposable
{
    private static readonly AgentIdentity Key = new(Wire.Of("ssh-ed25519", new byte[] { 1 }), "me@laptop");

    private readonly TempDir dir = new("hoist-agent");

    public void Dispose() => dir.Dispose();

    [Fact]
    public void Lists_Identities_And_Signs_Over_The_Socket()
    {
        var signature = Wire.Of("ssh-ed25519", new byte[] { 7, 7 });
        using var agent = new FakeAgent(dir.Combine("agent.sock"), request => request[0] == 11
            ? Wire.Message((byte)12, 1u, Key.Blob, Key.Comment)
            : Wire.Message((byte)14, signature));
        var client = new AgentClient(agent.SocketPath);

        var identities = client.ListIdentities();
        var signed = client.Sign(identities[0], "ssh-ed25519", 0, [3, 4]);

        Assert.Equal([Key.Blob], identities.Select(i => i.Blob));
        Assert.Equal(signature, signed);
        Assert.Equal(Wire.Of((byte)13, Key.Blob, new byte[] { 3, 4 }, 0u), agent.Requests.Last());
    }

    [Fact]
    public void Refusal_To_Sign_Names_The_Agent_And_The_Key()
    {
        using var agent = new FakeAgent(dir.Combine("agent.sock"), _ => Wire.Message((byte)5));

        var error = Assert.Throws<HoistException>(() => new AgentClient(agent.SocketPath).Sign(Key, "ssh-ed25519", 0, [1]));

        Assert.StartsWith($"the ssh-agent at SSH_AUTH_SOCK={agent.SocketPath} refused to sign with its ssh-ed25519 key 'me@laptop'", error.Message);
    }

    [Fact]
    public void Missing_Socket_Names_SSH_AUTH_SOCK()
    {
        var path = dir.Combine("gone.sock");

        var error = Assert.Throws<HoistException>(() => new AgentClient(path).ListIdentities());

        Assert.StartsWith($"cannot talk to the ssh-agent at SSH_AUTH_SOCK={path} (", error.Message);
    }

    [Fact]
    public void Garbled_Answer_Names_SSH_AUTH_SOCK()
    {
        using var agent = new FakeAgent(dir.Combine("agent.sock"), _ => Wire.Message((byte)99));

        var error = Assert.Throws<HoistException>(() => new AgentClient(agent.SocketPath).ListIdentities());

        Assert.Equal(
            $"the ssh-agent at SSH_AUTH_SOCK={agent.SocketPath} sent a message Hoist cannot read (expected message type 12, got 99); " +
            "check that SSH_AUTH_SOCK points at an OpenSSH-compatible agent",
            error.Message);
    }

    [Fact]
    public void Hang_Up_Without_Answer_Names_SSH_AUTH_SOCK()
    {
        using var agent = new FakeAgent(dir.Combine("agent.sock"), _ => []);

        var error = Assert.Throws<HoistException>(() => new AgentClient(agent.SocketPath).ListIdentities());

        Assert.Contains($"SSH_AUTH_SOCK={agent.SocketPath} (it closed the connection without answering)", error.Message);
    }
}
