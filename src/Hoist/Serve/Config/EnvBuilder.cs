namespace Hoist.Serve.Config;

using System.Text.RegularExpressions;

/// <summary>Checks the workers' environment: valid names, each set once.</summary>
internal static partial class EnvBuilder
{
    public static IReadOnlyList<KeyValuePair<string, string>> Read(IReadOnlyList<ServeEnvEntry> entries, ServeErrors errors)
    {
        var env = new List<KeyValuePair<string, string>>();
        var seen = new Dictionary<string, ServeEnvEntry>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (!VariableName().IsMatch(entry.Name))
            {
                errors.Add(entry.Site, $"'{entry.Name}' is not a valid variable name; use letters, digits and '_', not starting with a digit");
            }
            else if (seen.TryGetValue(entry.Name, out var first))
            {
                errors.Add(entry.Site, $"env {entry.Name} is set twice (lines {first.Site.Line} and {entry.Site.Line}); remove one");
            }
            else
            {
                seen.Add(entry.Name, entry);
                if (entry.Value is not null)
                {
                    env.Add(new(entry.Name, entry.Value.Value));
                }
            }
        }

        return env;
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*\\z")]
    private static partial Regex VariableName();
}
