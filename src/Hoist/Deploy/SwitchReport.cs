namespace Hoist.Deploy;

using Hoist.Remote;
using Hoist.Shell;

/// <summary>What a host's switch (<see cref="ReleaseScripts.Switch"/>) reports: whether current moved, the reload's status, the health check's answer.</summary>
/// <param name="Switched">current was renamed to the new release: only this proves it moved.</param>
/// <param name="ReloadStatus">The reload's exit status, or null when none ran (no reload, or the script stopped before it).</param>
/// <param name="Health"><see cref="HealthOk"/> or <see cref="HealthFailed"/>; null when not asked (no health_url, or the reload failed).</param>
internal sealed record SwitchReport(bool Switched, string? ReloadStatus, string? Health)
{
    public const string HealthOk = "ok";

    public const string HealthFailed = "failed";

    /// <summary>The reload's exit status (<see cref="GateScripts.AddReload"/>).</summary>
    public static readonly ReportKey ReloadKey = new("reload_status");

    /// <summary>The health check's answer, <see cref="HealthOk"/> or <see cref="HealthFailed"/> (<see cref="HealthScript"/>).</summary>
    public static readonly ReportKey HealthKey = new("health");

    private static readonly ReportKey SwitchedKey = new("switched");

    /// <summary>A reload ran and did not exit 0.</summary>
    public bool ReloadFailed => ReloadStatus is not null and not "0";

    /// <summary>The health check was asked and did not answer 2xx in time.</summary>
    public bool Unhealthy => Health == HealthFailed;

    /// <summary>The line right after the rename that made current the new release.</summary>
    public static ShellCommand EchoSwitched() => SwitchedKey.Echo("1");

    public static SwitchReport Read(HostRun run) => new(SwitchedKey.Last(run) is not null, ReloadKey.Last(run), HealthKey.Last(run));
}
