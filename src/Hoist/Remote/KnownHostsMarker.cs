namespace Hoist.Remote;

/// <summary>The optional "@..." marker that starts a known_hosts line.</summary>
internal enum KnownHostsMarker
{
    None,
    Revoked,
    CertAuthority,
}
