namespace Hoist.Status;

using System.Text;
using System.Text.Json;
using Hoist.Config;
using Hoist.Deploy;
using Hoist.Remote;
using Hoist.Serve.Control;
using Hoist.Shell;

/// <summary>The keys <see cref="StatusScript"/> reports under, and their reading into a <see cref="HostStatus"/>, with what makes a host unhealthy.</summary>
internal static class HostStatusReport
{
    public static readonly ReportKey CurrentKey = new("current");

    public static readonly ReportKey RevisionKey = new("revision");

    /// <summary>One of the audit log's last lines.</summary>
    public static readonly ReportKey AuditKey = new("audit");

    public static readonly ReportKey UnitKey = new("unit");

    /// <summary>The exit status of <c>hoist serve --status --json</c> on the host.</summary>
    public static readonly ReportKey ServeExitKey = new("serve_exit");

    /// <summary>What it printed, base64: its JSON, or its error.</summary>
    public static readonly ReportKey ServeKey = new("serve");

    /// <summary>nginx's status line for deploy.health_url (empty: no answer).</summary>
    public static readonly ReportKey HealthKey = new("health");

    /// <summary>A host that could not be connected to: one row saying so, unhealthy.</summary>
    public static HostStatus Unreachable(HostConfig host, string why) =>
        new(host.Display, [$"unreachable: {Clean(why)}"]) { Reachable = false };

    public static HostStatus Read(HostRun run, HoistConfig config)
    {
        if (run.ExitCode != 0)
        {
            var why = run.Lost ?? $"the status script exited {run.ExitCode}: {run.Tail(3)}";
            return new HostStatus(run.Host.Display, [$"unreachable: {Clean(why)}"]) { Reachable = false };
        }

        var problems = new List<string>();
        var current = CurrentKey.Last(run);
        var release = ReleaseId.IsValid(current) ? current : null;
        if (release is null)
        {
            problems.Add(current is null ? "no live release (run hoist deploy)" : "current points at something that is not a release");
        }

        var unit = UnitKey.Last(run);
        var unitName = config.App + ".service";
        if (unit is not null && unit != "active")
        {
            problems.Add($"unit {unitName} is {Clean(unit)}");
        }

        var workers = ReadWorkers(run, config, problems);
        string? healthAnswer = null;
        if (config.Deploy.HealthUrl is { } path)
        {
            healthAnswer = Clean(HealthKey.Last(run) ?? "");
            var status = new HostStatus("", []) { HealthAnswer = healthAnswer };
            if (status.HealthCode is not (>= 200 and < 300))
            {
                problems.Add($"health {path} answered '{(healthAnswer.Length == 0 ? "nothing" : healthAnswer)}' (2xx wanted)");
            }
        }

        return new HostStatus(run.Host.Display, problems)
        {
            Release = release,
            Revision = release is null ? null : RevisionKey.Last(run) is { } revision ? Clean(revision) : null,
            Deployed = AuditEntry.Find(AuditKey.All(run).Select(Clean), release),
            Unit = unit is null ? null : Clean(unit),
            Workers = workers,
            HealthPath = config.Deploy.HealthUrl,
            HealthAnswer = healthAnswer,
        };
    }

    private static WorkerSummary? ReadWorkers(HostRun run, HoistConfig config, List<string> problems)
    {
        if (ServeExitKey.Last(run) is not { } exit)
        {
            return null;
        }

        var said = ServeKey.Last(run) is { } base64 && Base64Field.TryDecode(base64) is { } bytes ? Encoding.UTF8.GetString(bytes) : "";
        ServeStatus? status = null;
        if (exit == "0")
        {
            try
            {
                status = JsonSerializer.Deserialize(said, ControlJson.Default.ServeStatus);
            }
            catch (JsonException)
            {
                // Said below, as any answer that is not a status.
            }
        }

        if (status?.Workers is null)
        {
            var first = said.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? $"exit {exit}";
            problems.Add($"hoist serve does not answer its status: {Clean(first)}");
            return null;
        }

        // A slot with no worker at all (never started) still counts: the config says how many there should be.
        var found = WorkerSummary.From(status);
        var summary = config.Serve is { } serve ? found with { Total = Math.Max(found.Total, serve.Workers) } : found;
        if (summary.Ready < summary.Total)
        {
            var failure = status.Workers.Select(w => w.Failure).FirstOrDefault(f => f is not null);
            problems.Add($"workers ready {summary.Ready}/{summary.Total}" + (failure is null ? "" : $": {Clean(failure.Split('\n')[0])}"));
        }

        return summary;
    }

    /// <summary>Host text, on one line, every known secret hidden (the host's .env values came back first).</summary>
    private static string Clean(string text) => Output.TerminalText.Visible(KnownSecrets.Redact(text), oneLine: true);
}
