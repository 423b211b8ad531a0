namespace Hoist.Setup;

using Hoist.Core;
using Hoist.Config;
using Hoist.Remote;

/// <summary>
/// setup.firewall on the hosts just set up: each loads its rules (<see cref="FirewallSetupStep.Apply"/>), then hoist
/// proves it can still reach each host that changed by a new SSH connection and confirms over it; a host that no new
/// connection reaches fails the setup, its old rules coming back by themselves. Off, hoist's table is removed.
/// </summary>
internal sealed class FirewallPhase(RunContext context)
{
    /// <param name="report">Prints the runs' items and host lines; returns how many failed.</param>
    public async Task<int> RunAsync(Fleet fleet, IReadOnlyList<HostConfig> hosts, bool dryRun, Func<IReadOnlyList<HostRun>, int> report, CancellationToken cancel)
    {
        var config = context.Config;
        if (!config.Setup!.Firewall)
        {
            var remove = FirewallSetupStep.Remove(config.App, dryRun);
            return report(await fleet.RunAsync(h => hosts.Any(x => x.Key == h.Key) ? remove : null, null, quiet: false, cancel).ConfigureAwait(false));
        }

        if (dryRun)
        {
            foreach (var host in hosts)
            {
                context.Reporter.Info($"firewall rules for {host.Display} ({FirewallUnit.Rules}):\n{FirewallRules.Render(config, host).TrimEnd('\n')}");
            }
        }

        var runs = await fleet.RunAsync(h => hosts.Any(x => x.Key == h.Key) ? FirewallSetupStep.Apply(config, FirewallRules.Render(config, h), dryRun) : null, null, quiet: false, cancel).ConfigureAwait(false);
        var failed = report(runs);
        var pending = runs.Where(r => r.Ok && FirewallSetupStep.PendingKey.Last(r) == "1").Select(r => r.Host).ToList();
        var confirmed = await Task.WhenAll(pending.Select(h => ConfirmAsync(h, cancel))).ConfigureAwait(false);
        return failed + report([.. confirmed.OfType<HostRun>()]) + confirmed.Count(c => c is null);
    }

    /// <summary>The confirmation over a new connection; null (and the host reported as failed) when none gets through.</summary>
    private async Task<HostRun?> ConfirmAsync(HostConfig host, CancellationToken cancel)
    {
        try
        {
            await using var fresh = await context.ConnectAsync([host], cancel).ConfigureAwait(false);
            var runs = await fresh.RunAsync(_ => FirewallSetupStep.Confirm(), null, quiet: false, cancel).ConfigureAwait(false);
            return runs[0];
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            context.Reporter.HostDone(host, false, NotReached(host, error.Message));
            return null;
        }
    }

    /// <summary>What a host that no new connection reaches after its rules were loaded is told.</summary>
    public string NotReached(HostConfig host, string why) =>
        $"after the firewall's rules were loaded, a new SSH connection to {host.Display} (port {host.Port}) did not get through ({why}); " +
        $"they were not kept: the previous rules come back by themselves within {FirewallSetupStep.RollbackSeconds(context.Config)} s. " +
        "Check that hoist reaches the host on the port the rules open (hosts, ssh.port), or set setup.firewall: false";
}
