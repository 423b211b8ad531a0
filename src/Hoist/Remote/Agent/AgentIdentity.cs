namespace Hoist.Remote.Agent;

/// <summary>A key the agent holds: its public key blob and the comment it was added with.</summary>
internal sealed record AgentIdentity(byte[] Blob, string Comment)
{
    /// <summary>The key type named in the blob ("ssh-ed25519", "ssh-rsa", ...), or null when the blob names none.</summary>
    public string? KeyType => SshKeyBlob.TypeOf(Blob);

    /// <summary>How the key is named in messages: its type and comment, as <c>ssh-add -l</c> shows them.</summary>
    public string Display => Comment.Length > 0 ? $"{KeyType} key '{Comment}'" : $"{KeyType} key";
}
