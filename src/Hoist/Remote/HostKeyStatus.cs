namespace Hoist.Remote;

/// <summary>What known_hosts says about the key a host presented.</summary>
internal enum HostKeyStatus
{
    /// <summary>A line for this host holds exactly this key.</summary>
    Trusted,

    /// <summary>No line matches this host at all.</summary>
    Unknown,

    /// <summary>No valid line matches this host, but a malformed line may name it: not known, and not safe to record.</summary>
    Malformed,

    /// <summary>Lines match this host, but none holds this key.</summary>
    Changed,

    /// <summary>An @revoked line holds this key; it must be refused.</summary>
    Revoked,
}
