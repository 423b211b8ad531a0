namespace Hoist.Logs;

using System.Globalization;

/// <summary>One line of a host's log, with the time it carries (null when it carries none it can be read from).</summary>
internal sealed record LogLine(string Host, LogSource Source, string Text, DateTimeOffset? Time)
{
    /// <summary>How it is printed: <c>[HOST] TAG TEXT</c>, as hoist prefixes every host's output.</summary>
    public string Display => $"[{Host}] {LogsScript.Tag(Source)}{Text}";

    public static LogLine Of(string host, LogSource source, string text) => new(host, source, text, TimeOf(text));

    /// <summary>
    /// The stamp a line starts with: logto's <c>2026-12-03T14:25:17.123Z</c>, journalctl's short-iso-precise
    /// (<c>2026-12-03T14:25:17.123456+00:00</c>), nginx's <c>2026/12/03 14:25:17</c> (local time, taken as UTC).
    /// </summary>
    public static DateTimeOffset? TimeOf(string text)
    {
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        var first = space < 0 ? text : text[..space];
        if (first.Length >= 20 && first[4] == '-' && first[10] == 'T' &&
            DateTimeOffset.TryParse(first, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var iso))
        {
            return iso.ToUniversalTime();
        }

        if (text.Length >= 19 && text[4] == '/' && DateTimeOffset.TryParseExact(text[..19], "yyyy/MM/dd HH:mm:ss", CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal, out var nginx))
        {
            return nginx.ToUniversalTime();
        }

        return null;
    }
}
