namespace Hoist.Deploy;

using System.Text.RegularExpressions;
using Hoist.Shell;

/// <summary>
/// Which values of a host's .env are secrets, and so hidden in everything Hoist shows: those of a name the config
/// lists under <c>secrets:</c> or that names a secret (SECRET, TOKEN, PASSWORD, …), at least
/// <see cref="Secret.MinLength"/> characters long; the password of any URL; and any other value that looks made at
/// random (long, letters and digits mixed).
/// </summary>
/// <remarks>
/// Hiding every value hid <c>APP_ENV=production</c> and <c>MODE=release</c> inside Hoist's own words (and its
/// recovery commands); hiding only listed names would show a host-only <c>STRIPE_TOKEN</c>. Values shorter than
/// a config secret may be are never hidden, for the same reason as there.
/// </remarks>
internal static partial class HostSecretRule
{
    /// <summary>The secrets among one name's values (its readings, <see cref="EnvReadings"/>).</summary>
    public static IEnumerable<string> SecretsOf(string name, IEnumerable<string> values, IReadOnlySet<string> secretNames)
    {
        var named = secretNames.Contains(name) || SecretName().IsMatch(name);
        foreach (var value in values)
        {
            foreach (var password in SecretRedactor.UrlPasswords(value))
            {
                yield return password;
            }

            if (value.Length >= Secret.MinLength && (named || LooksRandom(value)))
            {
                yield return value;
            }
        }
    }

    /// <summary>
    /// 16 or more characters, no space, letters and digits, and both cases or 32 or more (a hex digest, a token); not
    /// a path or a URL (a URL's secret is its password).
    /// </summary>
    public static bool LooksRandom(string value)
    {
        if (value.Length < 16 || value.Any(char.IsWhiteSpace) || value[0] == '/' || value.Contains("://", StringComparison.Ordinal))
        {
            return false;
        }

        var letters = value.Any(char.IsAsciiLetter);
        var digits = value.Any(char.IsAsciiDigit);
        var mixedCase = value.Any(char.IsAsciiLetterUpper) && value.Any(char.IsAsciiLetterLower);
        return letters && digits && (mixedCase || value.Length >= 32);
    }

    [GeneratedRegex("SECRET|TOKEN|PASSW|PASS$|PWD$|KEY|PRIVATE|CREDENTIAL|AUTH|SALT|DSN", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();
}
