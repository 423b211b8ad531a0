namespace Hoist.Shell;

/// <summary>Lines a script prints for Hoist rather than for people: <c>::hoist:: key=value</c>.</summary>
internal static class Marker
{
    public const string Prefix = "::hoist:: ";

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
