namespace Hoist.Serve.Config;

/// <summary>
/// Splits a uWSGI-style ini into the <c>key = value</c> lines of its <c>[uwsgi]</c> section. Full-line comments
/// start with ';' or '#'; there are no inline comments, so a '#' inside a value is part of it, as in uWSGI.
/// </summary>
internal static class IniParser
{
    public const string Section = "uwsgi";

    /// <param name="sectionLine">The line of the first <c>[uwsgi]</c> header; 0 when there is none.</param>
    public static IReadOnlyList<IniEntry> Parse(string text, ServeErrors errors, out int sectionLine)
    {
        var entries = new List<IniEntry>();
        sectionLine = 0;
        string? section = null;
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            var number = i + 1;
            var trimmed = line.Trim();
            var column = line.Length - line.TrimStart().Length + 1;
            if (trimmed.Length == 0 || trimmed[0] is ';' or '#')
            {
                continue;
            }

            if (trimmed[0] == '[')
            {
                if (!trimmed.EndsWith(']'))
                {
                    errors.Add(number, column, "", $"section header '{trimmed}' has no closing ']'; write [{Section}]");
                }

                // A header missing its ']' still names the section, so the lines below are not reported again.
                section = trimmed.TrimStart('[').TrimEnd(']').Trim();
                sectionLine = section == Section && sectionLine == 0 ? number : sectionLine;
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            var key = equals < 0 ? "" : line[..equals].Trim();
            if (key.Length == 0)
            {
                errors.Add(number, column, "", $"expected 'key = value', got '{trimmed}'; comments start with ';' or '#'");
            }
            else if (section != Section)
            {
                var where = section is null ? "is outside any section" : $"is in section [{section}], which Hoist does not read";
                errors.Add(number, column, key, $"'{key}' {where}; put it under [{Section}]");
            }
            else
            {
                var rest = line[(equals + 1)..];
                var valueColumn = equals + 2 + (rest.Length - rest.TrimStart().Length);
                entries.Add(new IniEntry(key, rest.Trim(), number, column, valueColumn));
            }
        }

        return entries;
    }
}
