namespace Hoist.Shell;

using System.Text.RegularExpressions;
using Hoist.Serve.Config;

/// <summary>
/// Hides secrets in what Hoist shows: for hoist serve, in worker output (failure messages, control-socket answers,
/// stderr) every value of its env-file; for every other verb, every secret it knows (<see cref="KnownSecrets"/>);
/// for both, the password of any URL (<c>scheme://user:PASSWORD@</c>), as <c>[REDACTED]</c>; each
/// also as an app commonly prints it: backslash-escaped (Python's repr, JSON), percent-decoded and percent-encoded.
/// </summary>
/// <remarks>
/// A worker gets the env-file's values (DATABASE_URL with the app role's password, SECRET_KEY), and one that fails at
/// start-up often prints them; deploys show those messages, and a deploy knows none of those secrets. Values shorter
/// than <see cref="MinLength"/> characters are left alone: hiding every "1" or "on" would mangle the text and hides
/// nothing worth hiding. The log (<c>logto</c>) keeps the workers' own lines as they printed them.
/// </remarks>
internal sealed partial class SecretRedactor
{
    public const int MinLength = 4;

    private readonly string[] values;

    private SecretRedactor(IEnumerable<string> values) =>
        this.values = values.SelectMany(Encodings).Where(v => v.Length >= MinLength).Distinct(StringComparer.Ordinal).OrderByDescending(v => v.Length).ToArray();

    /// <summary>Hides URL passwords only.</summary>
    public static SecretRedactor None { get; } = new([]);

    /// <summary>Hides these values, and the password of any URL among them or in the text.</summary>
    public static SecretRedactor For(IEnumerable<string> secrets)
    {
        var all = secrets.ToList();
        return new SecretRedactor(all.Concat(all.SelectMany(v => UrlPassword().Matches(v).Select(m => m.Value))));
    }

    /// <summary>The redactor for an env-file's values (as the workers get them, through <see cref="EnvFile"/>); None without one.</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="FormatException">A line is not NAME=value.</exception>
    public static SecretRedactor FromEnvFile(string? path) =>
        path is null ? None : For(EnvFile.Read(path).Select(e => e.Value));

    /// <summary>The passwords of the URLs in <paramref name="text"/> (<c>scheme://user:PASSWORD@</c>).</summary>
    public static IEnumerable<string> UrlPasswords(string text) => UrlPassword().Matches(text).Select(m => m.Value);

    public string Redact(string text)
    {
        foreach (var value in values)
        {
            text = text.Replace(value, Secret.Redacted, StringComparison.Ordinal);
        }

        return UrlPassword().Replace(text, Secret.Redacted);
    }

    /// <summary>The value and the forms an app prints it in.</summary>
    /// <remarks>
    /// repr and json.dumps double each backslash and escape the quote that encloses the string (repr picks ' or " by
    /// what the value holds), so each combination of escaped quotes is a form. A URL's password is percent-encoded in
    /// the URL and printed decoded by the driver that connects with it; a value put in a URL by the app is encoded.
    /// </remarks>
    private static IEnumerable<string> Encodings(string value)
    {
        yield return value;
        var slashed = value.Replace(@"\", @"\\", StringComparison.Ordinal);
        foreach (var single in (bool[])[false, true])
        {
            foreach (var doubleQuote in (bool[])[false, true])
            {
                var escaped = single ? slashed.Replace("'", @"\'", StringComparison.Ordinal) : slashed;
                yield return doubleQuote ? escaped.Replace("\"", "\\\"", StringComparison.Ordinal) : escaped;
            }
        }

        yield return Uri.EscapeDataString(value);
        yield return Uri.UnescapeDataString(value);
    }

    /// <summary>What follows <c>user:</c> after a scheme, up to the <c>@</c>: no '/' or space, so host:port/path@x is no password.</summary>
    [GeneratedRegex(@"(?<=://[^\s:/@]+:)[^\s/@]+(?=@)")]
    private static partial Regex UrlPassword();
}
