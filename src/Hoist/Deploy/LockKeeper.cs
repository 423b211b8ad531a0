namespace Hoist.Deploy;

using System.Diagnostics;
using System.Text.RegularExpressions;
using Hoist.Config;
using Hoist.Core;
using Hoist.Shell;

/// <summary>Shows and releases the deploy lock on each host.</summary>
internal sealed partial class LockKeeper(RunContext context)
{
    /// <remarks>
    /// hoist.yml's first host is shown too when it is not selected: every run takes its lock first (<see cref="FleetLock"/>),
    /// so a lock there stops runs on any host.
    /// </remarks>
    public async Task<int> StatusAsync(IReadOnlyList<HostConfig> hosts, CancellationToken cancel)
    {
        await using var fleet = await context.ConnectAsync(FleetLock.WithLeader(context.Config, hosts), cancel).ConfigureAwait(false);
        var runs = await fleet.RunAsync(_ => StateScript.Query(context.Config), null, quiet: true, cancel).ConfigureAwait(false);
        foreach (var run in runs)
        {
            var holder = HostState.Read(run).LockHolder;
            context.Reporter.Info($"{run.Host.Display}: " + (holder is null ? "not locked" : $"locked by {holder}") + LeaderNote(run.Host, hosts));
        }

        return 0;
    }

    /// <summary>
    /// Without <paramref name="force"/>, only a lock taken from this machine by a process that is gone is released;
    /// anything else could be a deploy in progress.
    /// </summary>
    /// <remarks>
    /// hoist.yml's first host, when not selected, is released too only where its lock has the holder of a lock released
    /// on a selected host (the same run took both); any other holder there is another run's, and is only named.
    /// </remarks>
    public async Task<int> ReleaseAsync(IReadOnlyList<HostConfig> hosts, bool force, CancellationToken cancel)
    {
        await using var fleet = await context.ConnectAsync(FleetLock.WithLeader(context.Config, hosts), cancel).ConfigureAwait(false);
        var states = await fleet.RunAsync(_ => StateScript.Query(context.Config), null, quiet: true, cancel).ConfigureAwait(false);
        var refused = new List<string>();
        var toRelease = new HashSet<string>();
        var releasedHolders = new HashSet<string>();
        foreach (var run in states.OrderBy(r => FleetLock.IsLockOnly(r.Host, hosts)))
        {
            var holder = HostState.Read(run).LockHolder;
            if (FleetLock.IsLockOnly(run.Host, hosts))
            {
                if (holder is not null && releasedHolders.Contains(holder))
                {
                    toRelease.Add(run.Host.Key);
                }
                else if (holder is not null)
                {
                    context.Reporter.Warn($"{run.Host.Display}: locked by {holder}{LeaderNote(run.Host, hosts)}; release it with `hoist lock release --force --host {run.Host.Display}` once that run is surely over");
                }
            }
            else if (holder is null)
            {
                context.Reporter.Info($"{run.Host.Display}: not locked");
            }
            else if (force || IsAbandonedHere(holder))
            {
                toRelease.Add(run.Host.Key);
                releasedHolders.Add(holder);
            }
            else
            {
                refused.Add($"{run.Host.Display}: locked by {holder}; that may be a deploy in progress. If you are sure it is not, run `hoist lock release --force`");
            }
        }

        var released = await fleet.RunAsync(
            h => toRelease.Contains(h.Key) ? Release(force) : new ScriptBuilder("noop").Raw(":").Build(), null, quiet: true, cancel).ConfigureAwait(false);
        foreach (var run in released.Where(r => toRelease.Contains(r.Host.Key)))
        {
            context.Reporter.HostDone(run.Host, run.Ok, run.Ok ? "lock released" : $"could not release the lock (exit {run.ExitCode}): {run.Tail()}");
        }

        if (refused.Count > 0)
        {
            throw new HoistException(string.Join('\n', refused));
        }

        return released.All(r => r.Ok) ? 0 : 1;
    }

    private string LeaderNote(HostConfig host, IReadOnlyList<HostConfig> hosts) =>
        FleetLock.IsLockOnly(host, hosts) ? " (not selected: hoist.yml's first host, whose lock every run takes first)" : "";

    private Script Release(bool force)
    {
        var script = new ScriptBuilder("release lock").Line(DeployPaths.AssignRoot(context.Config.DeployTo));
        LockScript.StopHolder(script);
        return script
            .Raw($"holder={LockScript.HolderValue}")
            .Line("rm", "-rf", ShellCommand.Raw(DeployPaths.Lock))
            .Line("printf", "%s holder=%s\\n", context.AuditLine(force ? "lock-release forced" : "lock-release"), ShellCommand.Raw($"\"$holder\" >> {DeployPaths.Audit}"))
            .Build();
    }

    private static bool IsAbandonedHere(string holder)
    {
        var match = HolderPattern().Match(holder);
        if (!match.Success || match.Groups["who"].Value != RunContext.Who)
        {
            return false;
        }

        try
        {
            using var process = Process.GetProcessById(int.Parse(match.Groups["pid"].Value, System.Globalization.CultureInfo.InvariantCulture));
            return false;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    [GeneratedRegex(@"^(?<who>\S+) \(pid (?<pid>\d+)\)")]
    private static partial Regex HolderPattern();
}
