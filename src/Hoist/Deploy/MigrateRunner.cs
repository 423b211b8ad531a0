namespace Hoist.Deploy;

using Hoist.Config;
using Hoist.Core;
using Hoist.Remote;

/// <summary>
/// <c>hoist migrate</c>: runs <c>migrate:</c> alone, in the release <c>current</c> points at on its host, under the deploy
/// lock (the fleet's first host's first, as a deploy takes it, so no deploy switches meanwhile), and audits it there.
/// </summary>
internal sealed class MigrateRunner(RunContext context)
{
    public async Task<int> RunAsync(bool dryRun, CancellationToken cancel)
    {
        var config = context.Config;
        var migrate = config.Migrate ?? throw HoistException.Usage(
            $"{config.Files} has no migrate: to run; add one (migrate: venv/bin/flask db upgrade), see examples/hoist.example.yml");
        var lockInfo = LockInfo.For("migrate", context.Clock.GetUtcNow());
        var leader = FleetLock.Leader(config);
        var onLeader = leader.Key == migrate.Host.Key;
        var audit = context.AuditLine("migrate");
        var script = MigrateScript.Alone(config, migrate, lockInfo, audit);
        if (dryRun)
        {
            context.Reporter.Info($"# migrate: on {migrate.Host.Display} only, as {migrate.Host.User}, in the release current points at" +
                (onLeader ? "" : $"; the deploy lock is taken on {leader.Display} first"));
            return DryRun.Print(context, [migrate.Host], script);
        }

        await using var op = await HostOperation.OpenAsync(context, "migrate", [migrate.Host], lockInfo,
            $"on {string.Join(", ", FleetLock.WithLeader(config, [migrate.Host]).Select(h => h.Display))}: the deploy lock ({config.DeployTo}/.hoist/lock); " +
            "once the hosts answer, run `hoist lock release --force` (it also stops a migration left running)",
            _ => StopAndUnlock(config, lockInfo), cancel).ConfigureAwait(false);
        try
        {
            return await context.Reporter.TrackAsync("migrate", [migrate.Host], () => RunLockedAsync(op, migrate, script, cancel)).ConfigureAwait(false);
        }
        finally
        {
            // Every way out: the lock is released by token (a no-op where the script released it, or never took it).
            await op.CleanupAsync().ConfigureAwait(false);
        }
    }

    private async Task<int> RunLockedAsync(HostOperation op, MigrateConfig migrate, Shell.Script script, CancellationToken cancel)
    {
        await op.TakeLeaderAsync("nothing was migrated", cancel).ConfigureAwait(false);
        var run = (await op.Fleet.RunAsync(h => h.Key == migrate.Host.Key ? script : null, null, quiet: false, cancel).ConfigureAwait(false)).Single();
        if (run.Lost is not null)
        {
            // No audit line is known to be written, and the migration may have run wholly, partly or not at all.
            throw new HoistException(LostHost.Describe(run, "its deploy lock (and the migration, if it still runs)", "migrate",
                "check what the migration did to the database (it may have run wholly, partly or not at all) before running `hoist migrate` again"));
        }

        if (!run.Ok)
        {
            throw Held(run) ?? new HoistException(Migrator.Describe(run, "current") + "\nthe audit line on that host says result=failed");
        }

        context.Reporter.HostDone(migrate.Host, true, $"migrated in {context.Config.DeployTo}/current");
        return ExitCodes.Ok;
    }

    /// <summary>A lock held by another run, before any migration step began: exit 75, nothing was migrated.</summary>
    private static HoistException? Held(HostRun run) =>
        run.ExitCode == LockScript.HeldExitCode && run.LastStep == "lock"
            ? HoistException.LockHeld($"{run.Host.Display}: deploy is locked by {LockReport.Read(run).Holder}; nothing was migrated; wait for it to finish, or if it died run `hoist lock release --force`")
            : null;

    /// <summary>Stops a migration this run left running (an interrupted one), then releases this run's lock.</summary>
    private static Shell.Script StopAndUnlock(HoistConfig config, LockInfo lockInfo)
    {
        var script = new Shell.ScriptBuilder("unlock").Line(DeployPaths.AssignRoot(config.DeployTo))
            .Raw($"if [ \"$(cat {DeployPaths.Lock}/token 2>/dev/null)\" = {Shell.ShellQuote.Quote(lockInfo.Token)} ]; then");
        LockScript.StopHolder(script);
        script.Raw($"  rm -rf {DeployPaths.Lock}").Raw("fi");
        return script.Build();
    }
}
