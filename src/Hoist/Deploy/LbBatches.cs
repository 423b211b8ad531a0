namespace Hoist.Deploy;

using Hoist.Config;
using Hoist.Core;
using Hoist.Remote;

/// <summary>
/// The lb hosts during a batched switch: before a batch switches, its web hosts leave every lb's upstream (all lb hosts
/// in parallel), and come back in with the next batch's drain (one reload that swaps them) or, after the last batch or
/// a failure, with <see cref="LbDrain.Back"/>. A batch that holds every web host (or none) is not drained: the upstream
/// would be left with nothing to serve. Without lb hosts there is nothing to drain and this is never made.
/// </summary>
internal sealed class LbBatches(RunContext context, Fleet lb) : IAsyncDisposable
{
    private const string LeftoversKey = "lb-drain";
    private bool drained;

    /// <summary>The lb hosts' connections, when there are lb hosts and some batch must be drained; else null.</summary>
    public static async Task<LbBatches?> ConnectAsync(RunContext context, IEnumerable<IReadOnlyList<string>> groups)
    {
        var config = context.Config;
        if (LbRole.Hosts(config).Count == 0 || !groups.Any(g => Drains(config, g).Count > 0))
        {
            return null;
        }

        if (config.Setup is null)
        {
            context.Reporter.Warn($"the lb hosts' upstream is not drained during the batches: {config.ConfigPath} has no setup: section (the lb site's settings)");
            return null;
        }

        return new LbBatches(context, await context.ConnectAsync(LbRole.Hosts(config), CancellationToken.None).ConfigureAwait(false));
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
        drained = true;
        context.Reporter.Info($"lb: {string.Join(", ", web.Select(h => h.Display))} out of the upstream");
        return await RunAsync(LbDrain.Out(context.Config, web), $"taking {string.Join(", ", web.Select(h => h.Display))} out of the lb's upstream").ConfigureAwait(false);
    }

    /// <summary>Every web host back in the upstream (nothing is reloaded where it already is).</summary>
    public async Task<List<(HostRun Run, string Why)>> BackAsync()
    {
        if (!drained)
        {
            return [];
        }

        context.Reporter.Info("lb: every web host back in the upstream");
        var failed = await RunAsync(LbDrain.Back(context.Config), "putting every web host back in the lb's upstream").ConfigureAwait(false);
        if (failed.Count == 0)
        {
            drained = false;
            context.Leftovers.Clear(LeftoversKey);
        }

        return failed;
    }

    public ValueTask DisposeAsync() => lb.DisposeAsync();

    private static List<HostConfig> Drains(HoistConfig config, IReadOnlyList<string> group)
    {
        var web = LbRole.Web(config);
        var drain = web.Where(w => group.Contains(w.Key)).ToList();
        return drain.Count == web.Count ? [] : drain;
    }

    private async Task<List<(HostRun Run, string Why)>> RunAsync(Shell.Script script, string what)
    {
        var runs = await lb.RunAsync(_ => script, null, quiet: true, CancellationToken.None).ConfigureAwait(false);
        return runs.Where(r => !r.Ok).Select(r => (r, $"{what} failed ({r.Lost ?? $"exit {r.ExitCode}"}):\n{r.Tail()}")).ToList();
    }
}
