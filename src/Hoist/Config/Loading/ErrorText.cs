namespace Hoist.Config.Loading;

using System.Globalization;
using System.Text.RegularExpressions;

/// <summary>
/// Keeps error messages short whatever the config holds: a quoted value of 50 MB was once printed twice in full.
/// Quotes are shortened after secrets are redacted, so a cut can never leave part of a secret behind.
/// </summary>
internal static partial class ErrorText
{
    private const int MaxQuoted = 80;
    private const int KeptOfQuoted = 60;
    private const int MaxPath = 200;
    private const int MaxMessage = 2000;

    /// <summary>The error with every long quoted value, the path and the message itself cut to a readable length.</summary>
    public static ConfigError Shortened(ConfigError error) =>
        error with { Path = Cut(error.Path, MaxPath, MaxPath - 20), Message = Cut(LongQuote().Replace(error.Message, m => $"'{Cut(m.Groups[1].Value, MaxQuoted, KeptOfQuoted)}'"), MaxMessage, MaxMessage - 100) };

    /// <summary>"… and 59,990 more errors": the line that stands for the errors not shown.</summary>
    public static ConfigError More(string file, int count) =>
        new(file, 0, 0, "", string.Create(CultureInfo.InvariantCulture, $"… and {count:N0} more error{(count == 1 ? "" : "s")}; fix the ones above first"));

    private static string Cut(string text, int max, int keep)
    {
        if (text.Length <= max)
        {
            return text;
        }

        var end = char.IsHighSurrogate(text[keep - 1]) ? keep - 1 : keep;
        return string.Create(CultureInfo.InvariantCulture, $"{text[..end]}… ({text.Length:N0} characters)");
    }

    // A quote opens after no letter or digit and closes before none: an apostrophe inside a word ("Let's", "acme_server's")
    // is prose, and taking it for a quote cut the fix out of the message between it and a value's quote.
    [GeneratedRegex("(?<![\\p{L}\\p{N}])'([^'\n]{81,})'(?![\\p{L}\\p{N}])")]
    private static partial Regex LongQuote();
}
