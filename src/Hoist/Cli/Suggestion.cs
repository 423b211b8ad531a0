namespace Hoist.Cli;

using System.CommandLine;

/// <summary>
/// "did you mean" for a mistyped verb or option: the names the command takes that are at most two edits away (or
/// that the token begins), closest first, as git and System.CommandLine's own handler suggest them.
/// </summary>
internal static class Suggestion
{
    public static IReadOnlyList<string> For(string token, IEnumerable<string> names)
    {
        var candidates = names.Distinct(StringComparer.Ordinal)
            .Select(name => (Name: name, Distance: Distance(token, name)))
            .Where(c => c.Distance <= 2 || (token.Length >= 3 && c.Name.StartsWith(token, StringComparison.Ordinal)))
            .Where(c => c.Name != token)
            .OrderBy(c => c.Distance).ThenBy(c => c.Name, StringComparer.Ordinal)
            .Select(c => c.Name)
            .ToList();
        return token.Length < 3 ? [] : candidates.Take(3).ToList();
    }

    /// <summary>The names a command takes at its own level: its subcommands, and its options with their aliases.</summary>
    public static IEnumerable<string> NamesOf(Command command) =>
        command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name)
            .Concat(command.Options.Where(o => !o.Hidden).SelectMany(o => o.Aliases.Prepend(o.Name)))
            .Concat(command.Parents.OfType<Command>().SelectMany(p => p.Options.Where(o => o.Recursive && !o.Hidden).SelectMany(o => o.Aliases.Prepend(o.Name))));

    /// <summary>Levenshtein distance: insertions, deletions and substitutions.</summary>
    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
