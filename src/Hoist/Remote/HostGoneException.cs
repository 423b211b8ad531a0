namespace Hoist.Remote;

/// <summary>A host that stopped answering keep-alives: its connection is given up, and every script on it fails with this.</summary>
internal sealed class HostGoneException(string message) : IOException(message);
