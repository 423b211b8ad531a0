namespace Hoist.Init;

using System.Text.RegularExpressions;

/// <summary>Writes a value into the YAML hoist init renders, quoted unless YAML would read it back as it is.</summary>
internal static partial class YamlScalar
{
    /// <summary>The value plain when it is a safe word (paths, hosts, URLs), else single-quoted with ' doubled.</summary>
    public static string Of(string value)
    {
        if (value.Any(char.IsControl))
        {
            // Callers check their input; a line break here would change the file's structure.
            throw new ArgumentException("a control character in a YAML value", nameof(value));
        }

        return Plain().IsMatch(value) && !Reserved().IsMatch(value) ? value : "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
    }

    [GeneratedRegex("^[A-Za-z0-9_./~][A-Za-z0-9_./~@+:=-]*\\z")]
    private static partial Regex Plain();

    // Words YAML reads as something other than a string: booleans, null, numbers.
    [GeneratedRegex("^(?i:y|n|yes|no|true|false|on|off|null|~|\\.inf|\\.nan)\\z|^[-+]?\\.?[0-9][0-9._]*\\z")]
    private static partial Regex Reserved();
}
