namespace Hoist.Remote;

/// <summary>A known_hosts line that was skipped, and why.</summary>
/// <param name="Malformed">True for a broken line; false for a valid one Hoist does not use (@cert-authority).</param>
/// <param name="Hosts">The hosts a broken line names, as far as they can be read; null when its host field is unreadable.</param>
internal sealed record KnownHostsWarning(string Path, int Line, string Reason, bool Malformed = true, IHostMatcher? Hosts = null)
{
    /// <summary>True when the line may be meant for <paramref name="name"/> (an unreadable host field may name anyone).</summary>
    public bool MayName(string name) => Hosts?.Matches(name) ?? true;

    public override string ToString() => $"{Path}:{Line}: {Reason}";
}
