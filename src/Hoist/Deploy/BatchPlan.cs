namespace Hoist.Deploy;

using Hoist.Config;

/// <summary>
/// The order in which hosts switch (<c>deploy.batch</c>, <c>deploy.canary</c>): with a canary, the first host alone,
/// then the rest in batches of <see cref="BatchSize.Of"/> the whole fleet; without a batch, every other host at once.
/// </summary>
internal static class BatchPlan
{
    /// <summary>The hosts (keys, in the given order) of each batch; one batch of every host by default.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Groups(IReadOnlyList<string> hosts, BatchSize? batch, int canary)
    {
        var groups = new List<IReadOnlyList<string>>();
        var rest = hosts;
        if (canary > 0 && hosts.Count > 1)
        {
            groups.Add(hosts.Take(canary).ToList());
            rest = hosts.Skip(canary).ToList();
        }

        var size = batch?.Of(hosts.Count) ?? Math.Max(rest.Count, 1);
        groups.AddRange(rest.Chunk(size).Select(g => (IReadOnlyList<string>)g));
        return groups;
    }

    /// <summary>How the progress output and the dry run name a batch: "batch 2 of 3 (web2)", "canary (web1)".</summary>
    public static string Name(int index, int count, bool canary, IEnumerable<string> hosts) =>
        (canary && index == 0 ? "canary" : $"batch {index + 1} of {count}") + $" ({string.Join(", ", hosts)})";
}
