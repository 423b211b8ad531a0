namespace Hoist.Deploy;

using System.Globalization;
using Hoist.Config;
using Hoist.Remote;

/// <summary>
/// The words for a failed switch: what went wrong on one host (<see cref="Why"/>), and the one-line reason the revert's
/// warning and audit line carry (<see cref="Reason"/>), which always names each failed host and its failure.
/// </summary>
internal static class SwitchFailure
{
    /// <summary>What the reason says when a signal stopped the run.</summary>
    public const string Interrupted = "interrupted";

    /// <summary>What went wrong on one host, first line first (never empty), then the host's last lines.</summary>
    public static string Why(HostRun run, HoistConfig config)
    {
        var step = run.LastStep ?? "switch";
        if (run.Lost is not null)
        {
            return $"{(string.IsNullOrWhiteSpace(run.Lost) ? "the connection was lost" : run.Lost)} (during '{step}')";
        }

        var report = SwitchReport.Read(run);
        if (!report.Switched)
        {
            return $"the switch failed before current moved (exit {Exit(run)}, during '{step}')" + Tail(run, 5);
        }

        if (report.Unhealthy)
        {
            return $"not healthy: {config.Deploy.HealthUrl} did not answer 2xx within {config.Deploy.HealthTimeoutSeconds} s" + Tail(run, 12);
        }

        return report.ReloadFailed
            ? $"the reload failed (exit {report.ReloadStatus})" + Tail(run, 12)
            // Live, reload and health fine, yet not 0: the script itself was stopped (killed on the host, say).
            : $"the switch stopped after current moved (exit {Exit(run)}, during '{step}')" + Tail(run, 12);
    }

    /// <summary>One line: "HOST: first line of why; ...", led by <see cref="Interrupted"/> when a signal stopped the run.</summary>
    public static string Reason(IEnumerable<(HostRun Run, string Why)> failed, bool interrupted)
    {
        var hosts = failed.Select(f => $"{f.Run.Host.Display}: {FirstLine(f.Why, f.Run)}");
        return string.Join("; ", (interrupted ? new[] { Interrupted } : []).Concat(hosts));
    }

    private static string FirstLine(string why, HostRun run)
    {
        var line = why.Split('\n')[0].Trim().TrimEnd(':').Trim();
        return line.Length > 0 ? line : $"failed (exit {Exit(run)}, during '{run.LastStep ?? "switch"}')";
    }

    private static string Exit(HostRun run) => run.ExitCode.ToString(CultureInfo.InvariantCulture);

    private static string Tail(HostRun run, int lines) => run.Output.Count == 0 ? ", with no output" : ":\n" + run.Tail(lines);
}
