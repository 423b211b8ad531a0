namespace Hoist.Deploy;

using Hoist.Config;
using Hoist.Core;
using Hoist.Remote;

/// <summary>
/// A deploy's migration step: once, on <c>migrate_on</c>'s host, in the new release, after every host has built and
/// before any host switches. A failure aborts the deploy as a failed build does: nothing switches anywhere.
/// </summary>
internal sealed class Migrator(RunContext context)
{
    /// <summary>What the audit line says (<c>migrate=</c>): migrations ran, were skipped (--skip-migrate), or there are none.</summary>
    public const string Ran = "ran";
    public const string Skipped = "skipped";
    public const string None = "none";

    /// <summary>
    /// Before anything runs: the migrate host must be one this deploy builds on, else the migration would be skipped
    /// without a word (or run code this deploy does not ship).
    /// </summary>
    public static void Require(HoistConfig config, IReadOnlyList<HostConfig> hosts, bool skip)
    {
        if (config.Migrate is { } migrate && !skip && !hosts.Any(h => h.Key == migrate.Host.Key))
        {
            throw HoistException.Usage(
                $"migrate: runs on {migrate.Host.Display} (migrate_on, or the first web host), which this deploy does not select " +
                $"({string.Join(", ", hosts.Select(h => h.Display))}); add it (--host {migrate.Host.Display}), or pass --skip-migrate " +
                "when the schema already suits the release");
        }
    }

    /// <summary>For --dry-run: where and when the migration would run, and its script.</summary>
    /// <returns>What the audit line would say.</returns>
    public static string Print(RunContext context, LockInfo lockInfo, bool skip)
    {
        if (context.Config.Migrate is not { } migrate)
        {
            return None;
        }

        context.Reporter.Info(skip
            ? $"# migrate: skipped (--skip-migrate); it would run on {migrate.Host.Display}"
            : $"# migrate: on {migrate.Host.Display} only, as {migrate.Host.User}, in the new release, after every host's prepare and before any host's switch");
        if (!skip)
        {
            context.Reporter.Info(MigrateScript.InDeploy(context.Config, migrate, lockInfo, "<new release>").Show());
        }

        return skip ? Skipped : Ran;
    }

    /// <summary>Runs the migration, or says why not; <paramref name="abort"/> is the deploy's own cleanup of every host.</summary>
    /// <returns><see cref="Ran"/>, <see cref="Skipped"/> or <see cref="None"/>, for the audit line.</returns>
    public async Task<string> RunAsync(
        Fleet fleet, IReadOnlyDictionary<string, HostRun> prepared, LockInfo lockInfo, bool skip, Func<Task> abort, CancellationToken cancel)
    {
        if (context.Config.Migrate is not { } migrate)
        {
            return None;
        }

        if (skip)
        {
            context.Reporter.Info($"migrate: skipped (--skip-migrate) on {migrate.Host.Display}");
            return Skipped;
        }

        var release = prepared.TryGetValue(migrate.Host.Key, out var built) ? PrepareReport.Read(built).NewRelease : null;
        if (!ReleaseId.IsValid(release))
        {
            await abort().ConfigureAwait(false);
            throw new HoistException($"{migrate.Host.Display}: no new release to migrate in ('{release}'); nothing was switched: current is unchanged on every host");
        }

        var script = MigrateScript.InDeploy(context.Config, migrate, lockInfo, release!);
        IReadOnlyList<HostRun> runs;
        try
        {
            runs = await fleet.RunAsync(h => h.Key == migrate.Host.Key ? script : null, null, quiet: false, cancel).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            context.Reporter.Warn("interrupted during the migration: stopping it, removing the unfinished releases and releasing the lock");
            await abort().ConfigureAwait(false);
            throw;
        }

        var run = runs.Single();
        if (run.Ok)
        {
            context.Reporter.Info($"migrate: done on {migrate.Host.Display} in release {release}");
            return Ran;
        }

        await abort().ConfigureAwait(false);
        throw new HoistException(run.Lost is not null ? DescribeLost(run, release!)
            : Describe(run, release!) + "\nnothing was switched: current is unchanged on every host, and this deploy's releases are removed");
    }

    /// <summary>
    /// The migrate host went silent or dropped: once a command had begun, nobody knows how far it got; the cleanup could
    /// not reach that host, so its lock and new release stay there.
    /// </summary>
    public static string DescribeLost(HostRun run, string release)
    {
        var host = run.Host.Display;
        var started = Step(run) is { } step
            ? $"during the migration {step} in release {release} ({run.Lost}); it had started, so whether it ran (wholly, partly or not at all) is unknown"
            : $"before the migration began (during '{run.LastStep ?? "migrate"}', in release {release}; {run.Lost}); it did not run";
        return $"{host}: the connection was lost {started}\n" +
            $"nothing was switched: current is unchanged on every host; this deploy's release and lock are removed from the other hosts, but may be left on {host}: " +
            $"once it answers, run `hoist lock release --force --host {host}`, check what the migration did to the database, then run `hoist deploy` again " +
            "(its migrations run again, which a migration must survive)";
    }

    private static string? Step(HostRun run) =>
        run.LastStep is { } s && s.StartsWith("migrate: ", StringComparison.Ordinal) ? $"'{s["migrate: ".Length..]}'" : null;

    /// <summary>The host, the command (its step) and the last lines; the one error handler hides secrets in them.</summary>
    public static string Describe(HostRun run, string release)
    {
        var step = Step(run);
        var what = run.Lost is { } lost ? $"{lost}, during the migration{(step is null ? "" : " " + step)}"
            : step is not null ? $"migrate {step} failed (exit {run.ExitCode})"
            : run.ExitCode == LockScript.HeldExitCode ? $"the deploy lock is no longer this run's (exit {run.ExitCode})"
            : $"the migration could not start (exit {run.ExitCode})";
        var tail = run.Output.Count == 0 ? "" : ":\n" + string.Join('\n', run.Tail(10).Split('\n').Select(l => "    " + l));
        return $"{run.Host.Display}: {what} in release {release}{tail}";
    }
}
