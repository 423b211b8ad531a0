namespace Hoist.Shell;

using System.Text.RegularExpressions;

/// <summary>The one function that makes a string safe as a single POSIX shell word.</summary>
internal static partial class ShellQuote
{
    public static string Quote(string value)
    {
        if (value.Length > 0 && SafeWord().IsMatch(value))
        {
            return value;
        }

        return "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    [GeneratedRegex("^[A-Za-z0-9_@%+=:,./-]+\\z")]
    private static partial Regex SafeWord();
}
