namespace Hoist.Config.Loading;

using System.Text;
using System.Text.RegularExpressions;

/// <summary>Expands <c>${NAME}</c> and <c>${NAME:-default}</c>; <c>$${</c> is a literal <c>${</c>.</summary>
internal static partial class Interpolation
{
    public static Interpolated Expand(string text, IReadOnlyDictionary<string, string> environment)
    {
        if (!text.Contains('$', StringComparison.Ordinal))
        {
            return new Interpolated(text, [], []);
        }

        var value = new StringBuilder();
        var variables = new List<string>();
        var errors = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            if (string.CompareOrdinal(text, i, "$${", 0, 3) == 0)
            {
                value.Append("${");
                i += 3;
            }
            else if (string.CompareOrdinal(text, i, "${", 0, 2) == 0)
            {
                var end = text.IndexOf('}', i + 2);
                if (end < 0)
                {
                    errors.Add("'${' has no closing '}'; write '$${' for a literal '${'");
                    break;
                }

                Reference(text[(i + 2)..end], environment, value, variables, errors);
                i = end + 1;
            }
            else
            {
                value.Append(text[i]);
                i++;
            }
        }

        return new Interpolated(value.ToString(), variables, errors);
    }

    private static void Reference(
        string inner, IReadOnlyDictionary<string, string> environment, StringBuilder value, List<string> variables, List<string> errors)
    {
        var separator = inner.IndexOf(":-", StringComparison.Ordinal);
        var name = separator < 0 ? inner : inner[..separator];
        var fallback = separator < 0 ? null : inner[(separator + 2)..];
        if (!Name().IsMatch(name))
        {
            errors.Add($"'${{{inner}}}' is not a variable reference; names are letters, digits and '_' (write '$${{' for a literal '${{')");
            return;
        }

        variables.Add(name);
        // As in the shell, ':-' also replaces a variable that is set but empty.
        if (environment.TryGetValue(name, out var set) && (set.Length > 0 || fallback is null))
        {
            value.Append(set);
        }
        else if (fallback is not null)
        {
            value.Append(fallback);
        }
        else
        {
            errors.Add($"environment variable {name} is not set; export it or write ${{{name}:-default}}");
        }
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*\\z")]
    private static partial Regex Name();
}
