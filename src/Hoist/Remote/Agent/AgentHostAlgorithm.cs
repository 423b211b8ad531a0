namespace Hoist.Remote.Agent;

using Renci.SshNet.Security;

/// <summary>
/// One way to sign with one agent key, in the shape SSH.NET's public key authentication uses: <see cref="Data"/> is
/// the public key blob and <see cref="Sign"/> returns the whole signature blob (string algorithm, string signature),
/// which is exactly what the agent answers with.
/// </summary>
internal sealed class AgentHostAlgorithm(AgentClient agent, AgentIdentity identity, string name, uint flags) : HostAlgorithm(name)
{
    public override byte[] Data => identity.Blob;

    public override byte[] Sign(byte[] data) => agent.Sign(identity, Name, flags, data);

    // Only used to check a server's host key, never for a client's own key.
    public override bool VerifySignature(byte[] data, byte[] signature) =>
        throw new NotSupportedException("an agent key only signs");
}
