namespace Hoist.Deploy;

using Hoist.Config;
using Hoist.Core;
using Hoist.Remote;
using Hoist.Setup;

/// <summary>
/// The lb hosts during a switch: before a batch switches, its web hosts leave every lb's upstream (all lb hosts in
/// parallel), and come back in with the next batch's drain (one reload that swaps them) or, at the end of every run,
/// with <see cref="LbDrain.Back"/>: also in a run that drained nothing, since a run killed mid-batch (kill -9) leaves
/// its batch down in the upstream and nothing else would put it back. A batch that holds every web host (or none) is
/// not drained: the upstream would be left with nothing to serve. Without lb hosts (or a setup: section, which the lb
/// site is rendered from) this is never made.
/// </summary>
internal sealed class LbBatches : IAsyncDisposable
{
    private const string LeftoversKey = "lb-drain";
    private readonly RunContext context;
    private readonly Fleet? lb;
    private readonly string? unreached;
    private bool looked;

    private LbBatches(RunContext context, Fleet? lb, string? unreached)
    {
        this.context = context;
        this.lb = lb;
        this.unreached = unreached;
    }

    /// <summary>Whether this run took web hosts out of the upstream (then a failure to put them back fails the run).</summary>
    public bool TookOut { get; private set; }

    /// <summary>The lb hosts' connections, when there are lb hosts and a setup: section; else null.</summary>
    /// <remarks>
    /// When some batch drains, an lb that cannot be reached stops the run before anything switches (the throw): a
    /// batch switched while still in the upstream would fail requests. When none drains the run does not need the lb
    /// to switch safely, so an unreachable lb is no reason to hold back a release (a hotfix during an lb incident):
    /// the run switches, and is reported as unfinished (<see cref="Unfinished"/>, exit 1, the release live) because a
    /// web host an earlier run left out may still be out, which the operator must hear of and fix.
    /// </remarks>
    public static async Task<LbBatches?> ConnectAsync(RunContext context, IEnumerable<IReadOnlyList<string>> groups)
    {
        var config = context.Config;
        if (LbRole.Hosts(config).Count == 0)
        {
            return null;
        }

        var drains = groups.Any(g => Drains(config, g).Count > 0);
        if (config.Setup is null)
        {
            if (drains)
            {
                context.Reporter.Warn($"the lb hosts' upstream is not drained during the batches: {config.Files} has no setup: section (the lb site's settings)");
            }

            return null;
        }

        try
        {
            return new LbBatches(context, await context.ConnectAsync(LbRole.Hosts(config), CancellationToken.None).ConfigureAwait(false), null);
        }
        catch (HoistException error) when (!drains)
        {
            return new LbBatches(context, null, error.Message);
        }
    }

    /// <summary>Takes <paramref name="group"/>'s web hosts out (every other web host in); the failed lb runs, with why.</summary>
    public async Task<List<(HostRun Run, string Why)>> OutAsync(IReadOnlyList<string> group)
    {
        var web = Drains(context.Config, group);
        if (web.Count == 0)
        {
            return await BackAsync().ConfigureAwait(false);
        }

        context.Leftovers.Note(LeftoversKey, $"on {string.Join(", ", LbRole.Hosts(context.Config).Select(h => h.Display))}: the lb's upstream may still leave " +
            $"{string.Join(", ", web.Select(h => h.Display))} out; `hoist setup --role lb` puts every web host back in");
        TookOut = true;
        context.Reporter.Info($"lb: {string.Join(", ", web.Select(h => h.Display))} out of the upstream");
        var keys = web.Select(w => w.Key).ToHashSet(StringComparer.Ordinal);
        return await RunAsync(LbDrain.Out(context.Config, web), $"taking {string.Join(", ", web.Select(h => h.Display))} out of the lb's upstream", keys).ConfigureAwait(false);
    }

    /// <summary>Every web host back in the upstream (nothing is reloaded where it already is); the failed lb runs, with why.</summary>
    public async Task<List<(HostRun Run, string Why)>> BackAsync()
    {
        if (lb is null)
        {
            return [];
        }

        if (TookOut)
        {
            context.Reporter.Info("lb: every web host back in the upstream");
        }

        var failed = await RunAsync(LbDrain.Back(context.Config), "putting every web host back in the lb's upstream", []).ConfigureAwait(false);
        if (failed.Count == 0)
        {
            context.Leftovers.Clear(LeftoversKey);
        }

        return failed;
    }

    /// <summary>
    /// For a run that took no web host out: why the upstream may still leave some out (the lb not reached, or its
    /// restore failing), each with what to run; empty when every web host is in.
    /// </summary>
    public IReadOnlyList<string> Unfinished(IReadOnlyList<(HostRun Run, string Why)> backFailed)
    {
        var fix = "web hosts an earlier run left out of its upstream may still be out: `hoist setup --role lb` puts every one back in";
        return unreached is not null
            ? [$"{unreached}; {fix}"]
            : [.. backFailed.Select(f => $"{f.Run.Host.Display}: {f.Why}\n{fix}")];
    }

    public ValueTask DisposeAsync() => lb?.DisposeAsync() ?? ValueTask.CompletedTask;

    private static List<HostConfig> Drains(HoistConfig config, IReadOnlyList<string> group)
    {
        var web = LbRole.Web(config);
        var drain = web.Where(w => group.Contains(w.Key)).ToList();
        return drain.Count == web.Count ? [] : drain;
    }

    /// <param name="drained">The web hosts this script leaves out (by key), for what the run's first look says of an earlier run's.</param>
    private async Task<List<(HostRun Run, string Why)>> RunAsync(Shell.Script script, string what, IReadOnlyCollection<string> drained)
    {
        var runs = await lb!.RunAsync(_ => script, null, quiet: true, CancellationToken.None).ConfigureAwait(false);
        if (!looked)
        {
            // The run's first script: whatever it found down, no step of this run had taken out.
            looked = true;
            foreach (var run in runs)
            {
                foreach (var web in LbSetupScript.WasDown(context.Config, run))
                {
                    context.Reporter.Warn($"{run.Host.Display}: {web.Display} had been left out of the upstream by an earlier run; " +
                        (drained.Contains(web.Key) ? "it comes back in once its batch is healthy" : run.Ok ? "it is back in" : "putting it back failed (below)"));
                }
            }
        }

        return runs.Where(r => !r.Ok).Select(r => (r, $"{what} failed ({r.Lost ?? $"exit {r.ExitCode}"}):\n{r.Tail()}")).ToList();
    }
}
