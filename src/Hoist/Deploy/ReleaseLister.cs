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
            var state = HostState.From(run);
            context.Reporter.Info($"{run.Host.Display}: {context.Config.DeployTo}" + (state.LockHolder is null ? "" : $" (locked by {state.LockHolder})"));
            if (state.Releases.Count == 0)
            {
                context.Reporter.Info("  no releases yet");
            }

            foreach (var release in state.Releases.Reverse())
            {
                var marks = string.Join(", ", new[] { release.Id == state.Current ? "current" : null, release.Bad ? "bad" : null }.OfType<string>());
                var mark = release.Id == state.Current ? "*" : " ";
                context.Reporter.Info($"{mark} {release.Id}  {Revision.Short(release.Revision),-12}  {marks}".TrimEnd());
            }
        }

        return runs.All(r => r.Ok) ? 0 : 1;
    }
}
