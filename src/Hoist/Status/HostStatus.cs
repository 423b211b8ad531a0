namespace Hoist.Status;

/// <summary>One host's row of <c>hoist status</c>: what its status script reported, or why it could not be asked.</summary>
/// <param name="Host">The host as hoist.yml names it (<see cref="Config.HostConfig.Display"/>).</param>
/// <param name="Problems">Why the host is unhealthy, each said once; empty when it is healthy.</param>
internal sealed record HostStatus(string Host, IReadOnlyList<string> Problems)
{
    public bool Healthy => Problems.Count == 0;

    /// <summary>False when the host could not be connected to, or its script could not run.</summary>
    public bool Reachable { get; init; } = true;

    public string? Release { get; init; }

    public string? Revision { get; init; }

    /// <summary>The audit line that made <see cref="Release"/> live, or null when the log has none.</summary>
    public AuditEntry? Deployed { get; init; }

    /// <summary><c>systemctl is-active</c> of the unit hoist setup made; null where there is no systemd or no setup.</summary>
    public string? Unit { get; init; }

    /// <summary>hoist serve's workers; null when it was not asked (no setup or serve) or did not answer.</summary>
    public WorkerSummary? Workers { get; init; }

    /// <summary>The health path asked (deploy.health_url) and the status line nginx answered (empty: no answer); null when there is none.</summary>
    public string? HealthPath { get; init; }

    public string? HealthAnswer { get; init; }

    /// <summary>The HTTP status of <see cref="HealthAnswer"/>, or null when it is not a status line.</summary>
    public int? HealthCode => HealthAnswer is { } answer && answer.StartsWith("HTTP/", StringComparison.Ordinal) && answer.Split(' ') is [_, var code, ..] &&
        code.Length == 3 && int.TryParse(code, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null;
}
