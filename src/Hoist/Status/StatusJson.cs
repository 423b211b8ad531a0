namespace Hoist.Status;

using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

/// <summary>
/// <c>hoist status --json</c>: <c>{"destination", "healthy", "hosts": [...]}</c>, one object per host with every key
/// always present (null when unknown), so scripts can rely on the shape. Documented in README.md.
/// </summary>
internal static class StatusJson
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Render(IReadOnlyList<HostStatus> hosts, string? destination)
    {
        var root = new JsonObject
        {
            ["destination"] = destination,
            ["healthy"] = hosts.All(h => h.Healthy),
            ["hosts"] = new JsonArray([.. hosts.Select(Host)]),
        };
        return root.ToJsonString(Options);
    }

    private static JsonObject Host(HostStatus host) => new()
    {
        ["host"] = host.Host,
        ["healthy"] = host.Healthy,
        ["reachable"] = host.Reachable,
        ["problems"] = new JsonArray([.. host.Problems.Select(p => (JsonNode?)p)]),
        ["release"] = host.Release,
        ["revision"] = host.Revision,
        ["deployed"] = host.Deployed is { } d
            ? new JsonObject { ["at"] = d.At, ["by"] = d.By, ["what"] = d.What, ["destination"] = d.Destination }
            : null,
        ["unit"] = host.Unit,
        ["workers"] = host.Workers is { } w
            ? new JsonObject { ["ready"] = w.Ready, ["total"] = w.Total, ["restarts"] = w.Restarts, ["memory_bytes"] = w.MemoryBytes }
            : null,
        ["health"] = host.HealthPath is null
            ? null
            : new JsonObject { ["path"] = host.HealthPath, ["answer"] = host.HealthAnswer, ["status"] = host.HealthCode },
    };
}
