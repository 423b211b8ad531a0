namespace Hoist.Init;

using System.Text.RegularExpressions;

/// <summary>An app name made from a folder's name.</summary>
internal static partial class AppName
{
    private const int MaxLength = 32;

    /// <summary>
    /// The folder's name made valid both as hoist.yml's <c>app</c> and as the Unix user setup makes for it (its
    /// default setup.user): lowercase, a letter first, letters, digits, '_' and '-' only, at most 32.
    /// </summary>
    public static string From(string folderName)
    {
        var name = Invalid().Replace(folderName.ToLowerInvariant(), "-");
        name = LeadingNonLetters().Replace(name, "");
        if (name.Length > MaxLength)
        {
            name = name[..MaxLength];
        }

        name = name.TrimEnd('-', '_');
        return name.Length == 0 ? "app" : name;
    }

    /// <summary>Whether <paramref name="name"/> is one <see cref="From"/> would keep as it is.</summary>
    public static bool IsValid(string name) => From(name) == name;

    [GeneratedRegex("[^a-z0-9_-]+")]
    private static partial Regex Invalid();

    [GeneratedRegex("^[^a-z]+")]
    private static partial Regex LeadingNonLetters();
}
