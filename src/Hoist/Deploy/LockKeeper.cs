namespace Hoist.Deploy;

using System.Diagnostics;
using System.Text.RegularExpressions;
using Hoist.Config;
using Hoist.Core;
using Hoist.Shell;

/// <summary>Shows and releases the deploy lock on each host.</summary>
internal sealed partial class LockKeeper(RunContext context)
{
    public async Task<int> StatusAsync(IReadOnlyList<HostConfig> hosts, CancellationToken cancel)
    {
        await using var fleet = await context.ConnectAsync(hosts, cancel).ConfigureAwait(false);
        var runs = await fleet.RunAsync(_ => StateScript.Query(context.Config), null, quiet: true, cancel).ConfigureAwait(false);
        foreach (var run in runs)
        {
            var holder = HostState.From(run).LockHolder;
            context.Reporter.Info($"{run.Host.Display}: " + (holder is null ? "not locked" : $"locked by {holder}"));
        }

        return 0;
    }

    /// <summary>
    /// Without <paramref name="force"/>, only a lock taken from this machine by a process that is gone is released;
    /// anything else could be a deploy in progress.
    /// </summary>
    public async Task<int> ReleaseAsync(IReadOnlyList<HostConfig> hosts, bool force, CancellationToken cancel)
    {
        await using var fleet = await context.ConnectAsync(hosts, cancel).ConfigureAwait(false);
        var states = await fleet.RunAsync(_ => StateScript.Query(context.Config), null, quiet: true, cancel).ConfigureAwait(false);
        var refused = new List<string>();
        var toRelease = new HashSet<string>();
        foreach (var run in states)
        {
            var holder = HostState.From(run).LockHolder;
            if (holder is null)
            {
                context.Reporter.Info($"{run.Host.Display}: not locked");
            }
            else if (force || IsAbandonedHere(holder))
            {
                toRelease.Add(run.Host.Key);
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

    private Script Release(bool force)
    {
        var script = new ScriptBuilder("release lock").Line(DeployPaths.AssignRoot(context.Config.DeployTo));
        LockScript.StopHolder(script);
        return script
            .Raw($"holder={LockScript.HolderValue}")
            .Line("rm", "-rf", ShellCommand.Raw(DeployPaths.Lock))
            .Line("printf", "%s holder=%s\\n", $"{context.Now} {RunContext.Who} lock-release{(force ? " forced" : "")}", ShellCommand.Raw($"\"$holder\" >> {DeployPaths.Audit}"))
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
