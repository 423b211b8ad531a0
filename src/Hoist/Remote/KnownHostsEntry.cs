namespace Hoist.Remote;

/// <summary>One parsed known_hosts line.</summary>
internal sealed record KnownHostsEntry(
    int Line,
    KnownHostsMarker Marker,
    IHostMatcher Hosts,
    string KeyType,
    byte[] KeyBlob)
{
    public bool HoldsKey(byte[] keyBlob) => KeyBlob.AsSpan().SequenceEqual(keyBlob);
}
