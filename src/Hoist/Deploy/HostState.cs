namespace Hoist.Deploy;

using Hoist.Remote;
using Hoist.Shell;

/// <summary>A host's release layout as reported by <see cref="StateScript"/>; names that are not release ids are ignored.</summary>
/// <param name="Draft">The release a left history draft (<c>.hoist/history.new</c>) ends with: a switch that never committed.</param>
internal sealed record HostState(string? Current, IReadOnlyList<ReleaseInfo> Releases, IReadOnlyList<string> History, string? LockHolder, string? Draft = null)
{
    /// <summary>
    /// <c>current</c> was switched by a run that died before its commit or revert (kill -9, a lost machine): the draft
    /// names it and the committed history does not end with it, so no health gate passed for it.
    /// </summary>
    public bool Uncommitted => Current is not null && Draft == Current && (History.Count == 0 || History[^1] != Current);

    /// <summary>The release current points at (<see cref="StateScript"/>).</summary>
    public static readonly ReportKey CurrentKey = new("current");

    /// <summary>One complete release: <c>ID ok|bad REVISION</c>, once per release.</summary>
    public static readonly ReportKey ReleaseKey = new("release");

    /// <summary>The last ids of .hoist/history, space-separated, oldest first.</summary>
    public static readonly ReportKey HistoryKey = new("history");

    /// <summary>The last line of a left history draft (.hoist/history.new).</summary>
    public static readonly ReportKey DraftKey = new("draft");

    /// <summary>The lock's holder, when the lock is there.</summary>
    public static readonly ReportKey LockKey = new("lock");

    public static HostState Read(HostRun run)
    {
        var releases = ReleaseKey.All(run)
            .Select(v => v.Split(' ', 3))
            .Where(p => p.Length >= 2 && ReleaseId.IsValid(p[0]))
            .Select(p => new ReleaseInfo(p[0], p.ElementAtOrDefault(2)?.Trim() ?? "", p[1] == "bad"))
            .OrderBy(r => r.Id, StringComparer.Ordinal)
            .ToList();
        var history = (HistoryKey.Last(run) ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(ReleaseId.IsValid).ToList();
        var current = CurrentKey.Last(run);
        var draft = DraftKey.Last(run);
        return new HostState(ReleaseId.IsValid(current) ? current : null, releases, history, LockKey.Last(run), ReleaseId.IsValid(draft) ? draft : null);
    }

    /// <summary>
    /// Where a rollback goes: the release that was live before the current one (from the history of switches),
    /// skipping bad and deleted ones. Without a history (older layouts), the newest good release before the current.
    /// </summary>
    public ReleaseInfo? PreviousGood()
    {
        var good = Releases.Where(r => !r.Bad && r.Id != Current).ToDictionary(r => r.Id);
        var fromHistory = History.AsEnumerable().Reverse().SkipWhile(id => id == Current).FirstOrDefault(good.ContainsKey);
        if (fromHistory is not null)
        {
            return good[fromHistory];
        }

        return History.Count > 0 ? null : Releases.Where(r => !r.Bad && string.CompareOrdinal(r.Id, Current) < 0).LastOrDefault();
    }
}
