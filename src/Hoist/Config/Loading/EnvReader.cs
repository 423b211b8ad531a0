namespace Hoist.Config.Loading;

using System.Text.RegularExpressions;
using Hoist.Shell;
using YamlDotNet.RepresentationModel;

/// <summary>
/// Reads <c>secrets:</c> and <c>env:</c>. A secret's value is env's, or else the deploying machine's
/// variable of that name; either way it becomes a hidden <see cref="ShellValue"/>.
/// </summary>
internal static partial class EnvReader
{
    /// <summary>Reads the secret names first, so every later scalar knows which variables are secret.</summary>
    public static IReadOnlyList<SecretName> ReadSecrets(NodeReader reader, YamlNode? node)
    {
        var names = new List<SecretName>();
        foreach (var (item, path) in node is null ? [] : reader.Items(node, "secrets", "a list of variable names"))
        {
            var text = reader.Text(item, path, "a variable name");
            if (text is null)
            {
                continue;
            }

            if (!VariableName().IsMatch(text.Value))
            {
                reader.Error(item, path, $"{text.Quoted} is not a valid variable name; use letters, digits and '_', not starting with a digit");
            }
            else if (names.Any(n => n.Name == text.Value))
            {
                reader.Error(item, path, $"secret {text.Value} is listed twice; remove one");
            }
            else
            {
                names.Add(new SecretName(text.Value, item, path));
                reader.AddSecretName(text.Value);
            }
        }

        return names;
    }

    public static IReadOnlyList<EnvVar> ReadEnv(LoadContext context, YamlNode? node, IReadOnlyList<SecretName> secrets)
    {
        var reader = context.Reader;
        var vars = new List<EnvVar>();
        var map = node is null ? null : reader.Mapping(node, "env", "a mapping of NAME: value", keys: null);
        foreach (var (name, key, value) in map is null ? [] : Nodes.Entries(map))
        {
            var path = NodePath.Child("env", name);
            if (!VariableName().IsMatch(name))
            {
                reader.Error(key, path, $"'{name}' is not a valid variable name; use letters, digits and '_', not starting with a digit");
            }

            var text = reader.Text(value, path, "a single value (quote it to keep it a string)", allowSecret: true);
            if (text is not null)
            {
                var hidden = text.Sensitive || reader.IsSecretName(name);
                CheckLength(reader, value, path, name, text.Value, hidden);
                vars.Add(new EnvVar(name, Bind(reader, text.Value, hidden)));
            }
        }

        foreach (var secret in secrets.Where(s => map is null || Nodes.Find(map, s.Name) is null))
        {
            if (context.Environment.TryGetValue(secret.Name, out var value))
            {
                CheckLength(reader, secret.Node, secret.Path, secret.Name, value, hidden: true, fromEnvironment: true);
                vars.Add(new EnvVar(secret.Name, Bind(reader, value, hidden: true)));
            }
            else
            {
                reader.Error(secret.Node, secret.Path, $"secret {secret.Name} has no value; export {secret.Name} before deploying, or set it under env");
            }
        }

        return vars;
    }

    /// <summary>
    /// A secret shorter than <see cref="Secret.MinLength"/> is an error: it is guessable, and hiding every place it
    /// occurs in what Hoist prints (a one-letter secret in every word) would make each message unreadable.
    /// </summary>
    private static void CheckLength(NodeReader reader, YamlNode node, string path, string name, string value, bool hidden, bool fromEnvironment = false)
    {
        if (!hidden || value.Length >= Secret.MinLength)
        {
            return;
        }

        var length = value.Length == 0 ? "empty" : $"{value.Length} character{(value.Length == 1 ? "" : "s")} long";
        var where = fromEnvironment ? $"the {name} this machine exports" : "the value";
        reader.Error(node, path,
            $"secret {name} is {length}; a secret needs at least {Secret.MinLength} characters (a shorter one is guessable, and " +
            $"Hoist hides every occurrence of it in what it prints, which would cut every message into [REDACTED] pieces); make {where} longer");
    }

    /// <summary>A value is hidden when its name is a secret or it was built from one.</summary>
    private static ShellValue Bind(NodeReader reader, string value, bool hidden)
    {
        if (!hidden)
        {
            return ShellValue.Plain(value);
        }

        reader.AddSecretValue(value);
        return ShellValue.Hidden(value);
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*\\z")]
    internal static partial Regex VariableName();
}
