namespace Hoist.Logs;

using Hoist.Config;
using Hoist.Core;
using Hoist.Remote;
using Hoist.Shell;

/// <summary>
/// <c>hoist logs</c>: every host's logs over one exec channel each, all hosts at once. Without -f each host's last
/// lines come back whole and are merged by their stamps; with -f they are printed as they arrive until Ctrl-C (exit 0).
/// </summary>
internal sealed class LogReader(RunContext context)
{
    public async Task<int> ReadAsync(IReadOnlyList<HostConfig> hosts, LogsRequest request, CancellationToken cancel)
    {
        if (LogsScript.Sources(context.Config, request.Nginx).Count == 0)
        {
            throw HoistException.Usage($"{context.Config.Files} has nothing for hoist logs to read: no serve.logto and no setup: (the unit's journal); " +
                "set serve.logto, or pass --nginx for nginx's error log");
        }

        return request.Follow ? await FollowAsync(hosts, request, cancel).ConfigureAwait(false) : await GatherAsync(hosts, request, cancel).ConfigureAwait(false);
    }

    private async Task<int> GatherAsync(IReadOnlyList<HostConfig> hosts, LogsRequest request, CancellationToken cancel)
    {
        await using var fleet = await context.ConnectAsync(hosts, cancel).ConfigureAwait(false);
        var runs = await fleet.RunAsync(_ => LogsScript.Gather(context.Config, request), null, quiet: true, cancel).ConfigureAwait(false);
        RefusedPattern(runs, request);
        var perHost = runs.Select(run => LogMerge.Last(LogMerge.ByTime(LogsScript.Keys.Select(k =>
            (IReadOnlyList<LogLine>)k.Value.All(run).Select(text => LogLine.Of(run.Host.Display, k.Key, Clean(text))).ToList())), request.Lines)).ToList();
        foreach (var line in LogMerge.ByTime(perHost))
        {
            Console.Out.WriteLine(Output.TerminalText.Clean(line.Display));
        }

        Console.Out.Flush();
        return Failed(runs);
    }

    private async Task<int> FollowAsync(IReadOnlyList<HostConfig> hosts, LogsRequest request, CancellationToken cancel)
    {
        var follow = context with { Reporter = new FollowReporter(context.Reporter, Console.Out, Console.Error, request.Since) };
        await using var fleet = await follow.ConnectAsync(hosts, cancel).ConfigureAwait(false);
        IReadOnlyList<HostRun> runs;
        try
        {
            runs = await fleet.RunAsync(_ => LogsScript.Follow(context.Config, request), null, quiet: false, cancel).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            // Ctrl-C is how -f ends: each host's channel was signalled and closed, which ends its tails (LogsScript.Follow).
            return ExitCodes.Ok;
        }

        RefusedPattern(runs, request);
        return Failed(runs);
    }

    private static void RefusedPattern(IReadOnlyList<HostRun> runs, LogsRequest request)
    {
        if (runs.FirstOrDefault(r => r.ExitCode == LogsScript.BadPattern) is { } run)
        {
            throw HoistException.Usage($"--grep '{request.Grep}': grep -E on {run.Host.Display} refuses the pattern ({run.Tail(1)}); write an extended regular expression, as grep -E takes");
        }
    }

    /// <summary>A host whose script failed (its connection lost) is named; the others' lines were shown.</summary>
    private int Failed(IReadOnlyList<HostRun> runs)
    {
        foreach (var run in runs.Where(r => !r.Ok))
        {
            context.Reporter.Warn($"{run.Host.Display}: logs ended with exit {run.ExitCode}" + (run.Lost is null ? "" : $": {run.Lost}"));
        }

        return runs.All(r => r.Ok) ? ExitCodes.Ok : ExitCodes.Failure;
    }

    private static string Clean(string text) => LineCut.Shorten(KnownSecrets.Redact(text));
}
