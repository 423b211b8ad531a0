namespace Hoist.Deploy;

using Hoist.Config;
using Hoist.Core;
using Hoist.Remote;

/// <summary>
/// A deploy in two phases across all hosts: prepare everywhere (lock, fetch, link, build), and only when every
/// host succeeded, switch everywhere. A failure in the first phase leaves <c>current</c> untouched on every host.
/// With several hosts the lock is taken on <see cref="FleetLock.Leader"/> (the first of hoist.yml's hosts, selected or
/// not) alone first, so of two racing deploys exactly one gets through; a hoist.yml of one host pays no extra round trip
/// (its prepare takes the lock).
/// </summary>
internal sealed class Deployer(RunContext context)
{
    /// <summary>How long the cleanup after a failure or Ctrl-C may take before hoist gives up on it.</summary>
    private static readonly TimeSpan AbortBound = TimeSpan.FromSeconds(30);

    /// <summary>What this deploy's audit line says of <c>migrate:</c> (<see cref="Migrator"/>).</summary>
    private string migrated = Migrator.None;

    private HoistConfig Config => context.Config;

    /// <summary><c>--skip-migrate</c>: the release goes live without running <c>migrate:</c>.</summary>
    public bool SkipMigrate { get; init; }

    public Task<int> DeployAsync(IReadOnlyList<HostConfig> hosts, bool dryRun, string? message, CancellationToken cancel)
    {
        var now = context.Clock.GetUtcNow();
        var lockInfo = LockInfo.For("deploy" + (message is null ? "" : ": " + message), now);
        var hooks = new Hooks.DeployHooks(context, message, lockInfo);
        return hooks.GuardAsync(hosts, cancel, () => DeployAsync(hosts, dryRun, message, now, lockInfo, hooks, cancel));
    }

    private async Task<int> DeployAsync(
        IReadOnlyList<HostConfig> hosts, bool dryRun, string? message, DateTimeOffset now, LockInfo lockInfo, Hooks.DeployHooks hooks, CancellationToken cancel)
    {
        var stamp = now.UtcDateTime.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);
        if (!dryRun)
        {
            await LocalBuild.RunAsync(Config, context.Reporter, cancel).ConfigureAwait(false);
        }
        else
        {
            foreach (var command in Config.LocalBuild)
            {
                context.Reporter.Info($"# local build (on this machine, in {Path.GetDirectoryName(Config.ConfigPath)}): {command}");
            }
        }

        // Scanned with lstat only (never opened), so a dry run reads no contents and a FIFO cannot hang it.
        var folder = Config.Source is UploadSource up && Directory.Exists(up.LocalPath) ? UploadFolder.Scan(up.LocalPath) : null;
        folder?.Report(context.Reporter);
        using var upload = folder is null || dryRun ? null : UploadArchive.Create(folder, cancel);
        foreach (var warning in upload?.Warnings ?? [])
        {
            context.Reporter.Warn(warning);
        }

        var revision = upload?.Revision ?? (Config.Source is UploadSource ? "<upload revision>" : null);
        var prepare = ReleaseScripts.Prepare(Config, lockInfo, stamp, revision);
        if (dryRun)
        {
            Hooks.DeployHooks.Print(context, HookPhase.BeforeDeploy, HookPhase.AfterBuild, HookPhase.BeforeSwitch, HookPhase.AfterSwitch, HookPhase.AfterDeploy, HookPhase.OnFailure);
            migrated = Migrator.Print(context, lockInfo, SkipMigrate);
            var example = new SwitchPlan(stamp, ["<older releases>"], null, Audit(stamp, "<revision>", message), "<previous release>");
            SwitchPhases.PrintOrder(context, hosts);
            return DryRun.Print(context, hosts, folder?.Summary, [prepare, .. SwitchPhases.Scripts(context, example, lockInfo, "deploy")]);
        }

        // The leader of every host in hoist.yml, not of the selected ones: a --role or --host run takes the same mutex
        // as a full one (connecting to it only for its lock when it is not selected).
        var locking = FleetLock.WithLeader(Config, hosts);
        var leader = locking.Count > 1 ? FleetLock.Leader(Config).Key : null;
        var prepareLocked = leader is null ? prepare : ReleaseScripts.Prepare(Config, lockInfo, stamp, revision, lockTaken: true);
        await using var fleet = await context.ConnectAsync(locking, cancel).ConfigureAwait(false);
        context.Leftovers.Note("deploy", $"on {string.Join(", ", locking.Select(h => h.Display))}: the deploy lock ({Config.DeployTo}/.hoist/lock) " +
            "and this deploy's unfinished release; once the hosts answer, run `hoist lock release --force` (it also stops what " +
            "this deploy left running there) and check `hoist releases`; the next deploy removes an unfinished release");
        return await context.Reporter.TrackAsync("deploy", hosts, async () =>
        {
            if (leader is not null)
            {
                await TakeLeaderAsync(fleet, hosts, leader, lockInfo, cancel).ConfigureAwait(false);
            }

            await hooks.BeforeAsync(HookPhase.BeforeDeploy, fleet, () => AbortAsync(fleet, hosts, lockInfo), cancel).ConfigureAwait(false);
            var prepared = await RunPrepareAsync(
                fleet, hosts, h => FleetLock.IsLockOnly(h, hosts) ? null : h.Key == leader ? prepareLocked : prepare, upload, lockInfo, cancel).ConfigureAwait(false);
            hooks.Learn(prepared);
            await hooks.BeforeAsync(HookPhase.AfterBuild, fleet, () => AbortAsync(fleet, hosts, lockInfo), cancel).ConfigureAwait(false);
            migrated = await new Migrator(context).RunAsync(fleet, prepared, lockInfo, SkipMigrate, () => AbortAsync(fleet, hosts, lockInfo), cancel).ConfigureAwait(false);
            await hooks.BeforeAsync(HookPhase.BeforeSwitch, fleet, () => AbortAsync(fleet, hosts, lockInfo), cancel).ConfigureAwait(false);
            var plans = prepared.ToDictionary(p => p.Key, p => PlanSwitch(p.Value, message));
            var outcome = await Switcher.RunAsync(context, fleet, plans, lockInfo, "deploy", cancel).ConfigureAwait(false);
            // Throws when the fleet went back: after_switch and after_deploy run only once every host committed.
            var exit = SwitchReport.Finish(context, outcome, plans, "deploy", run =>
                $"release {plans[run.Host.Key].ReleaseId} ({Revision.Short(prepared[run.Host.Key].Value("revision") ?? "")}) is live at {Config.DeployTo}/current");
            await hooks.AfterAsync(HookPhase.AfterSwitch, fleet, outcome.Switched.Select(r => r.Host), cancel).ConfigureAwait(false);
            return await hooks.FinishAsync(HookPhase.AfterDeploy, fleet, exit, cancel).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    /// <summary>Takes the lock on the fleet's first host, alone: if another run holds it, this one has taken nothing.</summary>
    private async Task TakeLeaderAsync(Fleet fleet, IReadOnlyList<HostConfig> hosts, string leader, LockInfo lockInfo, CancellationToken cancel)
    {
        IReadOnlyList<HostRun> runs;
        try
        {
            runs = await fleet.RunAsync(h => h.Key == leader ? FleetLock.Take(Config, lockInfo) : null, null, quiet: true, cancel).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await AbortAsync(fleet, hosts, lockInfo).ConfigureAwait(false);
            throw;
        }

        if (runs.All(r => r.Ok))
        {
            return;
        }

        if (runs.Any(r => r.ExitCode != LockScript.HeldExitCode))
        {
            // Only where this run's token is in the lock (a lock half written by a failed take) does Abort remove it.
            await AbortAsync(fleet, hosts, lockInfo).ConfigureAwait(false);
        }

        throw new HoistException(string.Join('\n', runs.Select(DescribeFailure)) + "\nnothing was changed on any host", HeldOnly(runs));
    }

    private async Task<Dictionary<string, HostRun>> RunPrepareAsync(
        Fleet fleet, IReadOnlyList<HostConfig> hosts, Func<HostConfig, Hoist.Shell.Script?> prepare, UploadArchive? upload, LockInfo lockInfo, CancellationToken cancel)
    {
        IReadOnlyList<HostRun> runs;
        try
        {
            runs = await fleet.RunAsync(prepare, upload is null ? null : _ => upload.Open(), quiet: false, cancel).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            context.Reporter.Warn("interrupted: removing the unfinished release and releasing the lock");
            await AbortAsync(fleet, hosts, lockInfo).ConfigureAwait(false);
            throw;
        }

        var failed = runs.Where(r => !r.Ok).ToList();
        if (failed.Count > 0)
        {
            await AbortAsync(fleet, hosts, lockInfo).ConfigureAwait(false);
            throw new HoistException(string.Join('\n', failed.Select(DescribeFailure)) +
                "\nnothing was switched: current is unchanged on every host", HeldOnly(failed));
        }

        return runs.ToDictionary(r => r.Host.Key);
    }

    private async Task AbortAsync(Fleet fleet, IReadOnlyList<HostConfig> hosts, LockInfo lockInfo)
    {
        using var timeout = new CancellationTokenSource(AbortBound);
        try
        {
            // A host there only for the fleet lock has no release of this run's: only its lock is released (by token).
            await fleet.RunAsync(
                h => FleetLock.IsLockOnly(h, hosts) ? ReleaseScripts.Unlock(Config, lockInfo) : ReleaseScripts.Abort(Config, lockInfo), null, quiet: true, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            // A host that does not answer (frozen, but not yet past its keep-alives) must not hold hoist up without end.
            context.Reporter.Warn($"the cleanup did not finish in {AbortBound.TotalSeconds:0} s; this may be left: {string.Join("; ", context.Leftovers.Notes)}");
        }
    }

    private SwitchPlan PlanSwitch(HostRun prepared, string? message)
    {
        var release = prepared.Value("new_release");
        if (!ReleaseId.IsValid(release))
        {
            throw new HoistException($"{prepared.Host.Display}: the host reported no valid new release ('{release}'); nothing was switched");
        }

        var state = HostState.From(prepared);
        var prune = PrunePlan.Select(state.Releases.Select(r => r.Id), release!, state.Current, Config.KeepReleases);
        return new SwitchPlan(release!, prune, null, Audit(release!, prepared.Value("revision") ?? "", message, state.Current), state.Current);
    }

    private string Audit(string release, string revision, string? message, string? previous = null) =>
        $"{context.Now} {RunContext.Who} deploy release={release} revision={revision} previous={previous ?? "-"} migrate={migrated}" +
        (message is null ? "" : $" message={message}");

    /// <remarks>Host lines and the lock holder go in as the host sent them: the one error handler cleans the message (secrets, control characters).</remarks>
    private static string DescribeFailure(HostRun run) => run.ExitCode == LockScript.HeldExitCode
        ? $"{run.Host.Display}: deploy is locked by {run.Value("locked")}; wait for it to finish, or if it died run `hoist lock release --force`"
        : run.Lost is not null
        ? LostHost.Describe(run, "its deploy lock and this deploy's unfinished release", "deploy", "deploy again")
        : $"{run.Host.Display}: {(run.LastStep is { } step ? $"step '{step}'" : "the script, before its first step,")} failed (exit {run.ExitCode})" +
          (run.Output.Count > 0 ? $":\n{Indent(run.Tail())}" : "");

    /// <summary>Only a held lock stopped the run (so a script may retry), or something that needs a look.</summary>
    private static int HeldOnly(IReadOnlyList<HostRun> failed) =>
        failed.All(r => r.ExitCode == LockScript.HeldExitCode) ? ExitCodes.LockHeld : ExitCodes.Failure;

    private static string Indent(string text) => string.Join('\n', text.Split('\n').Select(l => "    " + l));
}
