namespace Hoist.Logs;

/// <summary>What <c>hoist logs</c> was asked for, checked: each source's last <see cref="Lines"/> lines, then (with <see cref="Follow"/>) new ones.</summary>
/// <param name="Lines">Per host, 1 to <see cref="MaxLines"/>.</param>
/// <param name="Since">Only lines stamped at or after it (UTC).</param>
/// <param name="Grep">An extended regular expression (grep -E) each line must match, run on the hosts.</param>
/// <param name="Nginx">Add nginx's error log (/var/log/nginx/error.log, read as root).</param>
internal sealed record LogsRequest(bool Follow, int Lines, DateTimeOffset? Since, string? Grep, bool Nginx)
{
    public const int MaxLines = 100_000;

    public const int DefaultLines = 100;

    /// <summary>With -f, as tail -f: a few lines of context, then what comes.</summary>
    public const int DefaultFollowLines = 10;

    /// <summary>The longest --grep taken: a pattern, not a file.</summary>
    public const int MaxGrepLength = 1000;

    /// <summary>Why <paramref name="pattern"/> cannot be a --grep (it must travel as one line), or null.</summary>
    public static string? GrepProblem(string pattern) =>
        pattern.Length == 0 ? "--grep needs a pattern (an extended regular expression, as grep -E takes)"
        : pattern.Length > MaxGrepLength ? $"--grep is {pattern.Length} characters long; at most {MaxGrepLength}"
        : pattern.Any(char.IsControl) ? "--grep holds a control character (a line break, a tab, NUL); match it with a bracket expression such as [[:space:]]"
        : null;
}
