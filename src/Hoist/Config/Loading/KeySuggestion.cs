namespace Hoist.Config.Loading;

/// <summary>Finds the valid key a misspelt one was meant to be.</summary>
internal static class KeySuggestion
{
    /// <summary>"did you mean 'x'?" when one key is close, otherwise the list of valid keys.</summary>
    public static string Hint(string key, IReadOnlyList<string> valid) =>
        Closest(key, valid) is { } best ? $"did you mean '{best}'?" : $"valid keys: {string.Join(", ", valid)}";

    /// <summary>The valid key <paramref name="key"/> was most likely meant to be, or null when none is close.</summary>
    public static string? Closest(string key, IReadOnlyList<string> valid) =>
        valid
            .Select(v => (Key: v, Distance: Distance(key, v)))
            .Where(c => c.Distance <= 2 || IsPrefix(key, c.Key))
            .OrderBy(c => c.Distance)
            .Select(c => c.Key)
            .FirstOrDefault();

    private static bool IsPrefix(string key, string valid) =>
        key.Length >= 3 && (valid.StartsWith(key, StringComparison.OrdinalIgnoreCase) || key.StartsWith(valid, StringComparison.OrdinalIgnoreCase));

    /// <summary>Levenshtein distance, case-insensitive.</summary>
    public static int Distance(string a, string b)
    {
        a = a.ToLowerInvariant();
        b = b.ToLowerInvariant();
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        var current = new int[b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitute = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitute, Math.Min(previous[j], current[j - 1]) + 1);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
