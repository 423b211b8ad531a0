namespace Hoist.Deploy;

using Hoist.Config;
using Hoist.Core;

/// <summary>Lists each host's releases, newest first, marking the live one and the bad ones.</summary>
internal sealed class ReleaseLister(RunContext context)
{
    public async Task<int> ListAsync(IReadOnlyList<HostConfig> hosts, CancellationToken cancel)
    {
        await using var fleet = await context.ConnectAsync(hosts, cancel).ConfigureAwait(false);
        var runs = await fleet.RunAsync(_ => StateScript.Query(context.Config), null, quiet: true, cancel).ConfigureAwait(false);
        foreach (var run in runs)
        {
            var state = HostState.Read(run);
            context.Reporter.Info($"{run.Host.Display}: {context.Config.DeployTo}" + (state.LockHolder is null ? "" : $" (locked by {state.LockHolder})"));
            if (state.Uncommitted)
            {
                context.Reporter.Info($"  current -> {state.Current} ({Uncommitted(state, run.Host.Display)})");
            }

            if (state.Releases.Count == 0)
            {
                context.Reporter.Info("  no releases yet");
            }

            foreach (var release in state.Releases.Reverse())
            {
                var marks = string.Join(", ", new[] { release.Id == state.Current ? "current" : null, release.Id == state.Current && state.Uncommitted ? "not committed" : null, release.Bad ? "bad" : null }.OfType<string>());
                var mark = release.Id == state.Current ? "*" : " ";
                context.Reporter.Info($"{mark} {release.Id}  {Revision.Short(release.Revision),-12}  {marks}".TrimEnd());
            }
        }

        return runs.All(r => r.Ok) ? 0 : 1;
    }

    /// <summary>A host left between its switch and its commit (see <see cref="HostState.Uncommitted"/>), and what to run.</summary>
    public static string Uncommitted(HostState state, string host)
    {
        var back = state.PreviousGood() is { } previous
            ? $"`hoist rollback {previous.Id}` (add `--host {host}` for this host alone) puts back the last committed release, or `hoist deploy` again"
            : "`hoist deploy` again";
        // With the lock held, the run that holds it may still be in its health gate: only its holder can tell.
        return state.LockHolder is null
            ? $"switched by a deploy or rollback that never committed: not health-checked; {back}"
            : $"switched by a deploy or rollback that has not committed (it is in its health gate, or it was killed): not health-checked; " +
              $"if the lock's run is gone, run `hoist lock release --force`, then {back}";
    }
}
