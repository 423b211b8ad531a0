namespace Hoist.Config.Loading;

using YamlDotNet.RepresentationModel;

/// <summary>
/// Reads typed values out of YAML nodes. It never throws on bad input: each problem becomes a
/// <see cref="ConfigError"/> at the node's line and column, and the read returns null.
/// </summary>
/// <param name="origins">Where each node was written, when the config is merged from more than one file.</param>
internal sealed class NodeReader(string file, IReadOnlyDictionary<string, string> environment, NodeOrigins? origins = null)
{
    /// <summary>Errors kept in memory: enough to sort and show the first ones; the rest are only counted.</summary>
    public const int MaxKept = 1_000;

    /// <summary>Errors printed; a line "… and N more errors" stands for the rest.</summary>
    public const int MaxShown = 20;

    private readonly List<ConfigError> errors = [];
    private readonly NodeOrigins origins = origins ?? new NodeOrigins(file);
    private int dropped;
    private readonly HashSet<string> secretNames = new(StringComparer.Ordinal);
    private readonly List<string> secretValues = [];

    public IReadOnlyList<ConfigError> Errors => errors;

    /// <summary>hoist.yml as the user named it: what an error not about one node names.</summary>
    public string File => file;

    /// <summary>The file <paramref name="node"/> was written in, and its line and column there.</summary>
    public (string File, int Line, int Column) Where(YamlNode node) => origins.Where(node);

    /// <summary>An error found by a reader that works on text rather than nodes (the shared serve settings).</summary>
    public void Add(ConfigError error)
    {
        if (errors.Count < MaxKept)
        {
            errors.Add(error);
        }
        else
        {
            dropped++;
        }
    }

    public void Error(YamlNode node, string path, string message)
    {
        var (at, line, column) = origins.Where(node);
        Add(new ConfigError(at, line, column, path, message));
    }

    /// <summary>Names whose values are secret; a scalar that interpolates one is sensitive.</summary>
    public void AddSecretName(string name) => secretNames.Add(name);

    public bool IsSecretName(string name) => secretNames.Contains(name);

    /// <summary>A secret's value, scrubbed from every message in case a mistake quotes it.</summary>
    /// <remarks>
    /// Not one shorter than the redactor's minimum: it is rejected anyway (too short), and scrubbing a one-letter
    /// value would cut that very error, and every other, into pieces.
    /// </remarks>
    public void AddSecretValue(string value)
    {
        if (value.Length >= Shell.SecretRedactor.MinLength)
        {
            secretValues.Add(value);
        }
    }

    /// <summary>
    /// The first <see cref="MaxShown"/> errors in file order (hoist.yml's, then an overlay's), with any secret value replaced by [REDACTED] and long
    /// values cut short, then one line counting the rest.
    /// </summary>
    public IReadOnlyList<ConfigError> RedactedErrors()
    {
        var shown = errors
            .OrderBy(e => origins.Rank(e.File))
            .ThenBy(e => e.Line)
            .ThenBy(e => e.Column)
            .Take(MaxShown)
            .Select(e => ErrorText.Shortened(e with { Message = Redact(e.Message), Path = Redact(e.Path) }))
            .ToList();
        var more = errors.Count + dropped - shown.Count;
        return more > 0 ? [.. shown, ErrorText.More(file, more)] : shown;
    }

    private string Redact(string text) =>
        secretValues.Aggregate(text, (m, s) => m.Replace(s, Shell.Secret.Redacted, StringComparison.Ordinal));

    /// <summary>A required value; when absent, an error at the key (or the mapping) that shows an example.</summary>
    public YamlNode? Required(YamlMappingNode map, string mapPath, string key, string example)
    {
        var node = Nodes.Optional(map, key);
        if (node is null)
        {
            var where = Nodes.Find(map, key)?.Key ?? map;
            Error(where, NodePath.Child(mapPath, key), $"required key '{key}' is missing or empty; add e.g. '{example}'");
        }

        return node;
    }

    /// <summary>A mapping whose keys must all be in <paramref name="keys"/> (when given).</summary>
    public YamlMappingNode? Mapping(YamlNode node, string path, string expected, IReadOnlyList<string>? keys)
    {
        if (node is not YamlMappingNode map)
        {
            Error(node, path, $"expected {expected}, got {Nodes.Describe(node)}");
            return null;
        }

        foreach (var key in map.Children.Keys)
        {
            if (key is not YamlScalarNode { Value: { } name })
            {
                Error(key, path, $"a key must be a single word, not {Nodes.Describe(key)}");
            }
            else if (keys is not null && !keys.Contains(name))
            {
                Error(key, NodePath.Child(path, name), $"unknown key '{name}'; {KeySuggestion.Hint(name, keys)}");
            }
        }

        return map;
    }

    /// <summary>The items of a list; a single value counts as a one-item list, an empty value as none.</summary>
    public IReadOnlyList<(YamlNode Node, string Path)> Items(YamlNode node, string path, string expected)
    {
        switch (node)
        {
            case YamlSequenceNode list:
                return list.Children.Select((item, i) => (item, NodePath.Index(path, i))).ToList();
            case YamlScalarNode when Nodes.IsNull(node):
                return [];
            case YamlScalarNode:
                return [(node, path)];
            default:
                Error(node, path, $"expected {expected}, got {Nodes.Describe(node)}");
                return [];
        }
    }

    /// <summary>A scalar, interpolated. Secrets may only flow into values that stay hidden (<paramref name="allowSecret"/>).</summary>
    public ScalarText? Text(YamlNode node, string path, string expected, bool allowSecret = false)
    {
        if (node is not YamlScalarNode scalar)
        {
            Error(node, path, $"expected {expected}, got {Nodes.Describe(node)}");
            return null;
        }

        var written = Nodes.IsNull(node) ? "" : scalar.Value ?? "";
        if (written.Contains('\0', StringComparison.Ordinal))
        {
            // Unix arguments, paths and environment values end at a NUL: the value would arrive cut short, silently.
            Error(node, path, "contains a NUL character (\\0), which no command, path or variable can carry; remove it");
            return null;
        }

        var result = Interpolation.Expand(written, environment);
        foreach (var problem in result.Errors)
        {
            Error(node, path, problem);
        }

        if (result.Errors.Count > 0)
        {
            return null;
        }

        var secret = result.Variables.FirstOrDefault(secretNames.Contains);
        if (secret is not null && !allowSecret)
        {
            Error(node, path, $"uses secret {secret}, which would then show in plain text; only env values may use secrets (commands read them as ${secret})");
            return null;
        }

        return new ScalarText(result.Value, written, secret is not null);
    }
}
