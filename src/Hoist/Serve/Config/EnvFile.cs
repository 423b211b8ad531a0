namespace Hoist.Serve.Config;

using System.Text.RegularExpressions;

/// <summary>
/// Reads a <c>.env</c> file: <c>NAME=value</c> lines, <c>#</c> comments and blank lines, an optional <c>export </c>,
/// and a value optionally in single or double quotes (taken literally; no escapes, no expansion).
/// </summary>
internal static partial class EnvFile
{
    /// <summary>Reads and parses the file at <paramref name="path"/>: what workers get, and what hoist serve hides in what it shows.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Read(string path) => Parse(File.ReadAllText(path), path);

    public static IReadOnlyList<KeyValuePair<string, string>> Parse(string text, string path)
    {
        var result = new List<KeyValuePair<string, string>>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r').Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var match = Assignment().Match(line);
            if (!match.Success)
            {
                // The line itself is not shown: it may hold a secret.
                throw new FormatException($"{path}:{i + 1}: not a NAME=value line (a name is letters, digits and '_', not starting with a digit)");
            }

            var value = match.Groups["value"].Value;
            if (value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0])
            {
                value = value[1..^1];
            }

            result.Add(new(match.Groups["name"].Value, value));
        }

        return result;
    }

    [GeneratedRegex("^(export +)?(?<name>[A-Za-z_][A-Za-z0-9_]*) *= *(?<value>.*)$")]
    private static partial Regex Assignment();
}
