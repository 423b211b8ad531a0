namespace Hoist.Remote;

/// <summary>The outcome of checking a host key, with the known_hosts lines that led to it.</summary>
/// <param name="Lines">1-based line numbers in <paramref name="Path"/>: the matching line when
/// trusted, the revoking line when revoked, the lines to remove when changed, none when unknown.</param>
internal sealed record HostKeyVerdict(HostKeyStatus Status, string Path, IReadOnlyList<int> Lines)
{
    /// <summary>The lines as "file:line", ready for an error message.</summary>
    public IReadOnlyList<string> Locations => [.. Lines.Select(line => $"{Path}:{line}")];
}
