namespace Hoist.Deploy;

using Hoist.Remote;

/// <summary>A host's release layout as reported by <see cref="StateScript"/>.</summary>
internal sealed record HostState(string? Current, IReadOnlyList<ReleaseInfo> Releases, string? LockHolder)
{
    public static HostState From(HostRun run)
    {
        var releases = run.Values("release")
            .Select(v => v.Split(' '))
            .Where(p => p.Length == 3)
            .Select(p => new ReleaseInfo(p[0], p[1], p[2] == "bad"))
            .OrderBy(r => r.Id, StringComparer.Ordinal)
            .ToList();
        return new HostState(run.Value("current"), releases, run.Value("lock"));
    }

    /// <summary>The release deployed just before the current one that is not marked bad.</summary>
    public ReleaseInfo? PreviousGood() =>
        Releases.Where(r => !r.Bad && string.CompareOrdinal(r.Id, Current) < 0).LastOrDefault();
}
