namespace Hoist.Core;

using Hoist.Config;
using Hoist.Output;
using Hoist.Remote;

/// <summary>What every verb works with: the loaded config, the reporter, and how host keys are trusted.</summary>
internal sealed record RunContext(HoistConfig Config, IReporter Reporter, HostKeyPolicy HostKeys, TimeProvider Clock)
{
    /// <summary>How many hosts are worked on at a time (<c>--parallel</c>); 0 is all of them at once.</summary>
    public int Parallel { get; init; }

    /// <summary>What this run may leave on hosts, said if hoist has to exit at once.</summary>
    public Leftovers Leftovers { get; init; } = new();

    /// <summary>Hosts selected by <c>--role</c> and <c>--host</c> filters (all when neither is given).</summary>
    public IReadOnlyList<HostConfig> SelectHosts(string? role, string? host)
    {
        var roles = role is null ? Config.Roles : Config.Roles.Where(r => r.Name == role).ToList();
        if (role is not null && roles.Count == 0)
        {
            throw HoistException.Usage($"no role '{role}' in {Config.Files}; roles are: {string.Join(", ", Config.Roles.Select(r => r.Name))}");
        }

        var hosts = roles.SelectMany(r => r.Hosts).DistinctBy(h => h.Key).ToList();
        if (host is not null)
        {
            hosts = hosts.Where(h => h.Display == host || h.Address == host || h.Key == host).ToList();
            if (hosts.Count == 0)
            {
                throw HoistException.Usage($"no host '{host}'{(role is null ? "" : $" in role '{role}'")}; hosts are: {string.Join(", ", Config.AllHosts.Select(h => h.Display))}");
            }
        }

        return hosts;
    }

    public Task<Fleet> ConnectAsync(IReadOnlyList<HostConfig> hosts, CancellationToken cancel) =>
        Fleet.ConnectAsync(hosts, Config.Ssh, HostKeys, Reporter, Parallel, cancel);

    public string Now => Clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// The start of every line a run appends to a host's .hoist/audit.log: when, who, what (deploy, rollback, revert
    /// deploy, setup, migrate, lock-release), with -d the destination (<c>destination=staging</c>), then the verb's own
    /// fields. Written by the scripts of the run's last phase, under its lock (<see cref="Deploy.ReleaseScripts.AddAudit"/>),
    /// control characters made visible.
    /// </summary>
    public string AuditLine(string what, string fields = "") =>
        $"{Now} {Who} {what}" + (Config.Destination is { } name ? $" destination={name}" : "") + (fields.Length > 0 ? " " + fields : "");

    /// <summary>The line a verb that changes hosts starts with under -d, so nobody mistakes staging for production; null without -d.</summary>
    public string? DestinationLine => Config.Destination is null ? null : $"destination {Config.Destination}: {Config.Files}";

    public static string Who => $"{Environment.UserName}@{Environment.MachineName}";
}
