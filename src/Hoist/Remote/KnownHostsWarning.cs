namespace Hoist.Remote;

/// <summary>A known_hosts line that was skipped, and why.</summary>
internal sealed record KnownHostsWarning(string Path, int Line, string Reason)
{
    public override string ToString() => $"{Path}:{Line}: {Reason}";
}
