namespace Hoist.Setup;

using Hoist.Remote;
using Hoist.Shell;

/// <summary>What a setup script reports: its items in order, each through the prelude's <c>item NAME STATUS</c> (<see cref="SetupPrelude"/>).</summary>
internal sealed record SetupReport(IReadOnlyList<SetupItem> Items)
{
    private static readonly ReportKey ItemKey = new("item");

    /// <summary>The prelude's <c>item</c> function: <c>item=STATUS NAME</c>, through the prefix the script set (<see cref="ReportKey.AssignPrefix"/>).</summary>
    public static string ItemFunction => $"item() {{ {ItemKey.EchoViaPrefix("$2 $1")}; }}";

    public static SetupReport Read(HostRun run) => new(ItemKey.All(run)
        .Select(v => v.Split(' ', 2))
        .Select(p => new SetupItem(p[0], p.Length > 1 ? p[1] : ""))
        .ToList());
}
