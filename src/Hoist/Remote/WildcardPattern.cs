namespace Hoist.Remote;

/// <summary>Case-insensitive glob matching with "*" (any run) and "?" (one character).</summary>
internal static class WildcardPattern
{
    public static bool Matches(string text, string pattern)
    {
        int t = 0, p = 0, starP = -1, starT = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                starP = p++;
                starT = t;
            }
            else if (p < pattern.Length && (pattern[p] == '?' || SameChar(pattern[p], text[t])))
            {
                p++;
                t++;
            }
            else if (starP >= 0)
            {
                // Let the last "*" swallow one more character and retry from there.
                p = starP + 1;
                t = ++starT;
            }
            else
            {
                return false;
            }
        }
        while (p < pattern.Length && pattern[p] == '*')
            p++;
        return p == pattern.Length;
    }

    private static bool SameChar(char a, char b) => char.ToLowerInvariant(a) == char.ToLowerInvariant(b);
}
