namespace Hoist.Deploy;

using System.Text;
using System.Text.RegularExpressions;

/// <summary>
/// One line of a host's .env and the values its readers give it: hoist serve and Hoist's EnvFile (the text after
/// <c>=</c>, its enclosing quotes removed), a shell that sources it and python-dotenv (a quoted value up to its
/// closing quote, <c>\"</c> and <c>\\</c> unescaped in double quotes; an unquoted value up to a <c> #</c> comment),
/// each after an optional <c>export </c>.
/// </summary>
/// <remarks>
/// <c>KEY="value" # rotated</c> is <c>"value" # rotated</c> to the first and <c>value</c> to a build that runs
/// <c>. ./.env</c>: whichever reader a command used, what it prints is one of these.
/// </remarks>
internal static partial class EnvReadings
{
    /// <summary>The name and its readings (distinct, none empty); false for a line that assigns nothing.</summary>
    public static bool TryRead(string line, out string name, out IReadOnlyList<string> values)
    {
        var match = Assignment().Match(line.TrimEnd('\r'));
        name = match.Groups["name"].Value;
        values = [];
        if (!match.Success)
        {
            return false;
        }

        var raw = match.Groups["value"].Value.Trim();
        var readings = new List<string> { raw };
        if (raw.Length >= 2 && raw[0] is '"' or '\'' && raw[^1] == raw[0])
        {
            readings.Add(raw[1..^1]);
        }

        readings.Add(raw.Length > 0 && raw[0] is '"' or '\'' ? Quoted(raw) : Uncommented(raw));
        values = readings.Where(v => v.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        return true;
    }

    /// <summary>Up to the closing quote; in double quotes a backslash escapes the next character.</summary>
    private static string Quoted(string raw)
    {
        var quote = raw[0];
        var value = new StringBuilder();
        for (var i = 1; i < raw.Length && raw[i] != quote; i++)
        {
            if (quote == '"' && raw[i] == '\\' && i + 1 < raw.Length)
            {
                i++;
            }

            value.Append(raw[i]);
        }

        return value.ToString();
    }

    private static string Uncommented(string raw)
    {
        var comment = CommentStart().Match(raw);
        return (comment.Success ? raw[..comment.Index] : raw).TrimEnd();
    }

    [GeneratedRegex(@"^\s*(export\s+)?(?<name>[A-Za-z_][A-Za-z0-9_]*)\s*=(?<value>.*)$")]
    private static partial Regex Assignment();

    [GeneratedRegex(@"\s#")]
    private static partial Regex CommentStart();
}
