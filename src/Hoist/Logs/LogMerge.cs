namespace Hoist.Logs;

/// <summary>
/// Interleaves lines by their time. A line without a stamp keeps its place after the line before it in its own
/// source (a continuation stays with its start); the sort is stable, so lines of one time keep their order.
/// </summary>
internal static class LogMerge
{
    /// <summary>Each list in its own order (as its source wrote it), all of them merged by time.</summary>
    public static IReadOnlyList<LogLine> ByTime(IEnumerable<IReadOnlyList<LogLine>> sources) =>
        sources.SelectMany(Stamped).OrderBy(s => s.Time).Select(s => s.Line).ToList();

    /// <summary>The last <paramref name="count"/> lines of <paramref name="lines"/>, already in time order.</summary>
    public static IReadOnlyList<LogLine> Last(IReadOnlyList<LogLine> lines, int count) => lines.Skip(Math.Max(0, lines.Count - count)).ToList();

    private static IEnumerable<(DateTimeOffset Time, LogLine Line)> Stamped(IReadOnlyList<LogLine> source)
    {
        var time = DateTimeOffset.MinValue;
        foreach (var line in source)
        {
            time = line.Time ?? time;
            yield return (time, line);
        }
    }
}
