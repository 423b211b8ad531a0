namespace Hoist.Config;

using System.Text.RegularExpressions;
using Hoist.Output;

/// <summary>
/// A destination (<c>-d NAME</c>, Kamal's word): the overlay file beside the config, <c>hoist.NAME.yml</c>, merged over
/// it. The name reaches a file name and every audit line, so it is kept to a plain word.
/// </summary>
internal static partial class Destination
{
    public const int MaxLength = 64;

    /// <summary>Why <paramref name="name"/> cannot name a destination, or null when it can.</summary>
    public static string? Problem(string name) =>
        Name().IsMatch(name)
            ? null
            : $"'{TerminalText.Visible(name, oneLine: true)}' is not a destination name: use letters, digits, '-' and '_', starting with a letter or digit, at most {MaxLength} (e.g. -d staging)";

    /// <summary>
    /// The overlay of <paramref name="configFile"/>: in its folder, its stem, the name, its extension
    /// (hoist.yml → hoist.staging.yml, deploy/app.yml → deploy/app.staging.yml).
    /// </summary>
    public static string OverlayFile(string configFile, string name)
    {
        var folder = Path.GetDirectoryName(configFile) ?? "";
        return Path.Combine(folder, $"{Path.GetFileNameWithoutExtension(configFile)}.{name}{Path.GetExtension(configFile)}");
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,63}\\z")]
    private static partial Regex Name();
}
