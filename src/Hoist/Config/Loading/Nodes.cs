namespace Hoist.Config.Loading;

using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

/// <summary>Looks things up in YAML nodes, and names node kinds the way error messages do.</summary>
internal static class Nodes
{
    /// <summary>An empty plain scalar (<c>key:</c>, <c>~</c>, <c>null</c>) means "not set".</summary>
    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" };

    /// <summary>The value of <paramref name="key"/>, or null when it is absent or empty.</summary>
    public static YamlNode? Optional(YamlMappingNode map, string key)
    {
        var found = Find(map, key);
        return found is null || IsNull(found.Value.Value) ? null : found.Value.Value;
    }

    public static KeyValuePair<YamlNode, YamlNode>? Find(YamlMappingNode map, string key)
    {
        foreach (var entry in map.Children)
        {
            if (entry.Key is YamlScalarNode { Value: var name } && name == key)
            {
                return entry;
            }
        }

        return null;
    }

    /// <summary>The entries of a mapping whose keys are names the user chooses (roles, variables).</summary>
    public static IEnumerable<(string Name, YamlNode Key, YamlNode Value)> Entries(YamlMappingNode map) =>
        map.Children
            .Where(e => e.Key is YamlScalarNode { Value: not null })
            .Select(e => (((YamlScalarNode)e.Key).Value!, e.Key, e.Value));

    public static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode s when IsNull(s) => "nothing",
        YamlScalarNode s => $"'{s.Value}'",
        _ => "an alias",
    };
}
