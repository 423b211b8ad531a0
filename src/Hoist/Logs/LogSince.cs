namespace Hoist.Logs;

using System.Globalization;
using System.Text.RegularExpressions;

/// <summary><c>--since</c>: an age (<c>30s</c>, <c>10m</c>, <c>2h</c>, <c>1d</c>) before now, or an ISO 8601 time (UTC unless it gives an offset).</summary>
internal static partial class LogSince
{
    /// <summary>The longest age taken: ten years, past which a log line is not what anyone means.</summary>
    private const long MaxSeconds = 10L * 366 * 24 * 3600;

    public static DateTimeOffset? Parse(string text, DateTimeOffset now, out string? error)
    {
        error = null;
        var age = Age().Match(text);
        if (age.Success)
        {
            var unit = age.Groups[2].Value switch { "s" => 1L, "m" => 60L, "h" => 3600L, _ => 86400L };
            if (long.TryParse(age.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= MaxSeconds / unit)
            {
                return now - TimeSpan.FromSeconds(n * unit);
            }

            error = $"'{text}' is not an age from 1 s to ten years";
            return null;
        }

        if (text.Length > 0 && char.IsAsciiDigit(text[0]) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var time) && IsoLike().IsMatch(text))
        {
            return time.ToUniversalTime();
        }

        error = $"'{text}' is neither an age (30s, 10m, 2h, 1d) nor an ISO 8601 time (2026-12-03T14:00:00Z, 2026-12-03)";
        return null;
    }

    [GeneratedRegex(@"^(\d{1,12})([smhd])$")]
    private static partial Regex Age();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?)?(Z|[+-]\d{2}:?\d{2})?$")]
    private static partial Regex IsoLike();
}
