namespace Hoist.Config.Loading;

using YamlDotNet.Core;
using YamlDotNet.Core.Events;

/// <summary>
/// Passes a parser's events through while bounding what they can build: YamlDotNet's loader recurses once per
/// nesting level (20 000 nested '{' overflow the stack and kill the process, which no catch can stop), and aliases
/// let a few lines stand for billions of nodes. Counting on events stops both before the loader recurses or a
/// reader walks the expansion.
/// </summary>
internal sealed class LimitedParser(IParser inner) : IParser
{
    /// <summary>hoist.yml nests five levels at most (setup.nginx.locations[0].headers.X); 32 leaves room for anchors.</summary>
    public const int MaxDepth = 32;

    /// <summary>Values the document may stand for once every alias is expanded (a real hoist.yml has a few hundred).</summary>
    public const int MaxExpandedNodes = 200_000;

    // One counter per open collection: the nodes inside it so far, with each alias counted at the size of its anchor.
    private readonly Stack<(AnchorName Anchor, long Nodes)> open = new();
    private readonly Dictionary<AnchorName, long> anchorSizes = [];
    private long total;

    public ParsingEvent? Current => inner.Current;

    public bool MoveNext()
    {
        if (!inner.MoveNext())
        {
            return false;
        }

        switch (inner.Current)
        {
            case MappingStart or SequenceStart:
                var start = (NodeEvent)inner.Current;
                if (open.Count >= MaxDepth)
                {
                    throw new YamlLimitException(start.Start, $"the YAML nests deeper than {MaxDepth} levels; hoist.yml needs only a few");
                }

                Add(start, 1);
                open.Push((start.Anchor, 1));
                break;
            case MappingEnd or SequenceEnd when open.Count > 0:
                // Its nodes are in the total already; the parent's counter grows by them.
                var (anchor, nodes) = open.Pop();
                Remember(anchor, nodes);
                AddToParent(nodes);
                break;
            case Scalar scalar:
                Remember(scalar.Anchor, 1);
                Add(scalar, 1);
                AddToParent(1);
                break;
            case AnchorAlias alias:
                var size = anchorSizes.GetValueOrDefault(alias.Value, 1);
                Add(alias, size);
                AddToParent(size);
                break;
        }

        return true;
    }

    private void Remember(AnchorName anchor, long nodes)
    {
        if (!anchor.IsEmpty)
        {
            anchorSizes[anchor] = nodes;
        }
    }

    private void AddToParent(long nodes)
    {
        if (open.Count > 0)
        {
            var (anchor, sum) = open.Pop();
            open.Push((anchor, sum + nodes));
        }
    }

    private void Add(ParsingEvent at, long nodes)
    {
        total += nodes;
        if (total > MaxExpandedNodes)
        {
            throw new YamlLimitException(
                at.Start, $"the YAML stands for more than {MaxExpandedNodes} values, counting each alias (*name) as all it repeats; hoist.yml needs a few hundred");
        }
    }
}
