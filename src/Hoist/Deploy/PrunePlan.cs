namespace Hoist.Deploy;

/// <summary>Which releases to delete after a switch: beyond the newest <c>keep</c>, never the live or the previous one.</summary>
internal static class PrunePlan
{
    public static IReadOnlyList<string> Select(IEnumerable<string> releaseIds, string live, string? previous, int keep)
    {
        var newestFirst = releaseIds.Append(live).Distinct().OrderByDescending(id => id, StringComparer.Ordinal).ToList();
        return newestFirst.Skip(keep).Where(id => id != live && id != previous).OrderBy(id => id, StringComparer.Ordinal).ToList();
    }
}
