namespace Hoist.Remote;

/// <summary>How a command on a host ended, as SSH tells it: an exit status, or the signal that killed it (or neither, when the channel just closed).</summary>
internal sealed record RemoteExit(int? Status, string? Signal);
