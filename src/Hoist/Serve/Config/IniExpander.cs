namespace Hoist.Serve.Config;

using System.Text;
using System.Text.RegularExpressions;
using Hoist.Config.Loading;

/// <summary>
/// Expands ini values line by line, as uWSGI does: <c>%(name)</c> is the value of a key set on an earlier line
/// (after its own expansion); <c>%d</c> the ini's folder with a trailing '/', <c>%n</c> its name without
/// extension, <c>%p</c> its full path, <c>%%</c> a literal '%'; <c>$(NAME)</c> an environment variable.
/// </summary>
internal sealed partial class IniExpander(string iniPath, IReadOnlyDictionary<string, string> environment, ServeErrors errors)
{
    private readonly Dictionary<string, string> defined = new(StringComparer.Ordinal);

    // Keys whose value failed to expand: what uses them is not reported again.
    private readonly HashSet<string> broken = new(StringComparer.Ordinal);

    /// <summary>Every name used as <c>%(name)</c> anywhere in the file; such a key is a placeholder, not a typo.</summary>
    public static IReadOnlySet<string> Referenced(IEnumerable<IniEntry> entries) =>
        entries
            .SelectMany(e => Placeholder().Matches(e.Value))
            .Where(m => m.Groups[1].Success)
            .Select(m => m.Groups[1].Value)
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>The entry's value expanded, or null when something in it failed; either way its key is defined for the lines below.</summary>
    public ScalarText? Expand(IniEntry entry)
    {
        var raw = entry.Value;
        var value = new StringBuilder();
        var ok = true;
        var i = 0;
        while (i < raw.Length)
        {
            var next = i + 1 < raw.Length ? raw[i + 1] : '\0';
            var end = raw[i] switch
            {
                '%' when next == '(' => Reference(entry, i, value, ref ok),
                '$' when next == '(' => Variable(entry, i, value, ref ok),
                '%' when char.IsAsciiLetterOrDigit(next) || next == '%' => Magic(entry, i, next, value, ref ok),
                _ => -1,
            };
            if (end < 0)
            {
                value.Append(raw[i]);
                i++;
            }
            else
            {
                i = end;
            }
        }

        var result = value.ToString();
        defined[entry.Key] = result;
        if (ok)
        {
            broken.Remove(entry.Key);
            return new ScalarText(result, raw, Sensitive: false);
        }

        broken.Add(entry.Key);
        return null;
    }

    /// <summary><c>%(name)</c>; returns the index after it.</summary>
    private int Reference(IniEntry entry, int start, StringBuilder value, ref bool ok)
    {
        var close = entry.Value.IndexOf(')', start + 2);
        if (close < 0)
        {
            Fail(entry, start, "'%(' has no closing ')'; write %% for a literal %", ref ok);
            value.Append(entry.Value[start..]);
            return entry.Value.Length;
        }

        var name = entry.Value[(start + 2)..close];
        if (defined.TryGetValue(name, out var text))
        {
            value.Append(text);
            ok &= !broken.Contains(name);
        }
        else
        {
            Fail(entry, start, $"placeholder %({name}) is not defined; define `{name} = ...` above this line", ref ok);
            value.Append(entry.Value[start..(close + 1)]);
        }

        return close + 1;
    }

    /// <summary><c>$(NAME)</c>; returns the index after it.</summary>
    private int Variable(IniEntry entry, int start, StringBuilder value, ref bool ok)
    {
        var close = entry.Value.IndexOf(')', start + 2);
        if (close < 0)
        {
            Fail(entry, start, "'$(' has no closing ')'", ref ok);
            return entry.Value.Length;
        }

        var name = entry.Value[(start + 2)..close];
        if (!VariableName().IsMatch(name))
        {
            Fail(entry, start, $"'$({name})' is not an environment variable; names are letters, digits and '_', not starting with a digit", ref ok);
        }
        else if (environment.TryGetValue(name, out var text))
        {
            value.Append(text);
        }
        else
        {
            Fail(entry, start, $"environment variable {name} is not set; export it before starting hoist serve", ref ok);
        }

        return close + 1;
    }

    /// <summary><c>%d</c>, <c>%n</c>, <c>%p</c>, <c>%%</c>; uWSGI's other magic variables are errors rather than kept as text.</summary>
    private int Magic(IniEntry entry, int start, char letter, StringBuilder value, ref bool ok)
    {
        switch (letter)
        {
            case '%':
                value.Append('%');
                break;
            case 'd':
                value.Append(Path.GetDirectoryName(iniPath)?.TrimEnd('/')).Append('/');
                break;
            case 'n':
                value.Append(Path.GetFileNameWithoutExtension(iniPath));
                break;
            case 'p':
                value.Append(iniPath);
                break;
            default:
                Fail(entry, start, $"'%{letter}' is not a placeholder Hoist knows; use %(name), %d, %n or %p, and %% for a literal %", ref ok);
                value.Append('%').Append(letter);
                break;
        }

        return start + 2;
    }

    private void Fail(IniEntry entry, int index, string message, ref bool ok)
    {
        errors.Add(entry.Line, entry.ValueColumn + index, entry.Key, message);
        ok = false;
    }

    [GeneratedRegex(@"%%|%\(([^)]*)\)")]
    private static partial Regex Placeholder();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*\\z")]
    private static partial Regex VariableName();
}
