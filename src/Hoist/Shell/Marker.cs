namespace Hoist.Shell;

using System.Security.Cryptography;

/// <summary>
/// Lines a script prints on stdout for Hoist rather than for people: <c>::hoist-NONCE:: key=value</c>. The nonce is
/// new for every run of hoist, so no build or app output can forge a marker (and make prune delete shared/).
/// </summary>
internal static class Marker
{
    public static readonly string Prefix = $"::hoist-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}:: ";

    /// <summary>How rendered scripts show the prefix in golden files, where the nonce must not vary.</summary>
    public const string Placeholder = "::hoist-NONCE:: ";

    public static bool TryParse(string line, out string key, out string value)
    {
        key = value = "";
        if (!line.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var body = line[Prefix.Length..];
        var eq = body.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0)
        {
            return false;
        }

        key = body[..eq];
        value = body[(eq + 1)..];
        return true;
    }
}
