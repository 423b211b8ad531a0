namespace Hoist.Status;

using System.Globalization;
using System.Text;

/// <summary><c>hoist status</c> for people: one row per host, then one line per unhealthy host saying why.</summary>
internal static class StatusTable
{
    private static readonly string[] Headers = ["host", "release", "revision", "deployed", "workers", "restarts", "memory", "unit", "health"];

    public static string Render(IReadOnlyList<HostStatus> hosts, string? destination)
    {
        var rows = hosts.Select(Row).ToList();
        var widths = Headers.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToList();
        var text = new StringBuilder();
        if (destination is not null)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"destination {destination}");
        }

        foreach (var row in rows.Prepend(Headers))
        {
            text.AppendLine(string.Join("  ", row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd());
        }

        foreach (var host in hosts.Where(h => !h.Healthy))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{host.Host}: unhealthy: {string.Join("; ", host.Problems)}");
        }

        var bad = hosts.Count(h => !h.Healthy);
        text.Append(bad == 0 ? $"all {hosts.Count} host(s) healthy" : $"{bad} of {hosts.Count} host(s) unhealthy");
        return text.ToString();
    }

    private static string[] Row(HostStatus host)
    {
        if (!host.Reachable)
        {
            return [host.Host, "unreachable", "", "", "", "", "", "", ""];
        }

        var deployed = host.Deployed is { } d ? $"{d.At} by {d.By}" + (d.What == "deploy" ? "" : $" ({d.What})") : "-";
        var workers = host.Workers is { } w ? $"{w.Ready}/{w.Total}" : "-";
        return
        [
            host.Host,
            host.Release ?? "-",
            host.Revision is { } revision ? Deploy.Revision.Short(revision) : "-",
            deployed,
            workers,
            host.Workers?.Restarts.ToString(CultureInfo.InvariantCulture) ?? "-",
            host.Workers is { } m ? string.Create(CultureInfo.InvariantCulture, $"{m.MemoryBytes / (1024.0 * 1024):0.0} MiB") : "-",
            host.Unit ?? "-",
            host.HealthPath is null ? "-" : host.HealthCode?.ToString(CultureInfo.InvariantCulture) ?? "none",
        ];
    }
}
