namespace Hoist.Cli;

using System.Globalization;
using System.Text;
using Hoist.Serve.Control;

/// <summary>hoist serve's status as a table for people.</summary>
internal static class StatusText
{
    public static string Render(ServeStatus status)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"hoist serve pid {status.Pid} on {status.Listen}: generation {status.Generation}, {status.Reloads} reload(s), own memory {Mib(status.RssBytes)}");
        if (status.LastReload is { } last)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"last reload {last.At:yyyy-MM-ddTHH:mm:ssZ}: {(last.Ok ? "ok" : "FAILED")}: {last.Message}");
        }

        if (status.HeldUntil is { } until)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"held: the previous generation's workers, until {until:yyyy-MM-ddTHH:mm:ssZ} (hoist serve --commit stops them, --revert puts them back)");
        }

        text.AppendLine("slot  pid      state       gen  requests  in-flight  memory    restarts  release");
        foreach (var w in status.Workers)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{w.Slot,-5} {w.Pid,-8} {w.State,-11} {w.Generation,-4} {w.Requests,-9} {w.InFlight,-10} {Mib(w.RssBytes),-9} {w.Restarts,-9} {w.Release}");
        }

        // A slot's failure rides on each of its workers (an old one may serve while its successor fails): once per
        // slot, its first line only; the worker's last output is in logto, and whole in --json.
        foreach (var failing in status.Workers.Where(w => w.Failure is not null).DistinctBy(w => w.Slot))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"slot {failing.Slot} last start failed: {FirstLine(failing.Failure!)}");
        }

        return text.ToString().TrimEnd();
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].TrimEnd('\r');

    private static string Mib(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.0} MiB");
}
