namespace Hoist.Config.Loading;

using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

/// <summary>
/// Which file, and where in it, each node of a merged config was written: a node from the overlay is placed in the
/// overlay, a mapping built by the merge where its hoist.yml mapping stands, anything else in hoist.yml. Nodes are
/// told apart by reference: YamlDotNet's nodes compare equal by content.
/// </summary>
internal sealed class NodeOrigins(string baseFile)
{
    private readonly Dictionary<YamlNode, (string File, Mark Start)> placed = new(ReferenceEqualityComparer.Instance);
    private readonly List<string> files = [baseFile];

    /// <summary>Places every node under <paramref name="root"/> in <paramref name="file"/> (each once, however many aliases reach it).</summary>
    public void AddFile(YamlNode root, string file)
    {
        files.Add(file);
        var pending = new Stack<YamlNode>([root]);
        while (pending.TryPop(out var node))
        {
            if (!placed.TryAdd(node, (file, node.Start)))
            {
                continue;
            }

            var children = node switch
            {
                YamlMappingNode map => map.Children.SelectMany(e => new[] { e.Key, e.Value }),
                YamlSequenceNode list => list.Children,
                _ => [],
            };
            foreach (var child in children)
            {
                pending.Push(child);
            }
        }
    }

    /// <summary>A node the merge built stands where <paramref name="like"/> does.</summary>
    public void Place(YamlNode node, YamlNode like) => placed[node] = (FileOf(like), like.Start);

    public string FileOf(YamlNode node) => placed.TryGetValue(node, out var at) ? at.File : baseFile;

    public (string File, int Line, int Column) Where(YamlNode node) =>
        placed.TryGetValue(node, out var at)
            ? (at.File, (int)at.Start.Line, (int)at.Start.Column)
            : (baseFile, (int)node.Start.Line, (int)node.Start.Column);

    /// <summary>The order errors are shown in: hoist.yml's first, then the overlay's.</summary>
    public int Rank(string file)
    {
        var rank = files.IndexOf(file);
        return rank < 0 ? files.Count : rank;
    }
}
