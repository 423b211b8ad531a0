namespace Hoist.Config.Loading;

using YamlDotNet.RepresentationModel;

/// <summary>
/// Merges a destination's overlay over hoist.yml, node by node, before anything is read (as Kamal's destination files
/// are): mappings merge key by key, at every depth; a scalar or a list in the overlay replaces hoist.yml's whole (lists
/// are not concatenated); a key set to nothing (<c>key: ~</c>) removes it, so its default applies. The one exception
/// is <c>secrets:</c>, whose names add up: a secret of hoist.yml stays secret in every destination, or a value it
/// hides would print. Neither tree is changed: a mapping two aliases share stays as it is where the overlay does not
/// reach it.
/// </summary>
internal static class OverlayMerge
{
    public static YamlNode Merge(NodeReader reader, NodeOrigins origins, YamlNode root, YamlNode overlay, string baseName)
    {
        if (overlay is not YamlMappingNode top)
        {
            reader.Error(overlay, "", $"expected a mapping of the settings that differ from {baseName} (deploy_to: ..., hosts: ...), got {Nodes.Describe(overlay)}");
            return root;
        }

        // A hoist.yml that is no mapping has its own error; the overlay has nothing to merge into.
        return root is YamlMappingNode map ? Mappings(reader, origins, map, top, "") : root;
    }

    private static YamlMappingNode Mappings(NodeReader reader, NodeOrigins origins, YamlMappingNode under, YamlMappingNode over, string path)
    {
        var entries = under.Children.ToList();
        foreach (var (key, value) in over.Children)
        {
            var name = (key as YamlScalarNode)?.Value;
            var at = name is null ? -1 : entries.FindIndex(e => e.Key is YamlScalarNode { Value: var n } && n == name);
            if (at < 0)
            {
                if (!Nodes.IsNull(value))
                {
                    entries.Add(new(key, value));
                }
            }
            else if (path.Length == 0 && name == "secrets")
            {
                if (Secrets(reader, origins, entries[at].Value, value) is { } secrets)
                {
                    entries[at] = new(entries[at].Key, secrets);
                }
            }
            else if (Nodes.IsNull(value))
            {
                entries.RemoveAt(at);
            }
            else if (entries[at].Value is YamlMappingNode inner && value is YamlMappingNode outer)
            {
                entries[at] = new(entries[at].Key, Mappings(reader, origins, inner, outer, NodePath.Child(path, name!)));
            }
            else
            {
                // The overlay's key too: an error about the entry points where it was replaced.
                entries[at] = new(key, value);
            }
        }

        var merged = new YamlMappingNode();
        foreach (var (key, value) in entries)
        {
            // A key equal to another (only a non-scalar one can be) is an error the reader reports on the one kept.
            merged.Children.TryAdd(key, value);
        }

        origins.Place(merged, under);
        return merged;
    }

    /// <summary>hoist.yml's secrets, then the overlay's not among them; null (the entry left as it is) on an error.</summary>
    private static YamlNode? Secrets(NodeReader reader, NodeOrigins origins, YamlNode under, YamlNode over)
    {
        if (Nodes.IsNull(over))
        {
            reader.Error(over, "secrets", "an overlay cannot remove secrets: a secret of hoist.yml stays secret in every destination, or a value it hides " +
                "would print; remove this line (an overlay's secrets: adds names)");
            return null;
        }

        if (under is YamlMappingNode || over is YamlMappingNode)
        {
            // Not a list of names: the reader says so; what it reads is the overlay's, as for any other key.
            return over;
        }

        var names = Items(under).ToList();
        names.AddRange(Items(over).Where(o => !names.Any(n => n is YamlScalarNode { Value: var v } && o is YamlScalarNode { Value: var w } && v == w)));
        var merged = new YamlSequenceNode(names);
        origins.Place(merged, under);
        return merged;
    }

    private static IEnumerable<YamlNode> Items(YamlNode node) => node switch
    {
        YamlSequenceNode list => list.Children,
        _ when Nodes.IsNull(node) => [],
        _ => [node],
    };
}
