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

        // fetch: local: resolved (and a URL fetched into hoist's cache) here, before any host is reached, so a repository
        // this machine cannot read or a missing branch stops the deploy with nothing changed anywhere.
        var commit = Config.Source is LocalGitSource source ? await LocalRepo.ResolveAsync(source, cancel).ConfigureAwait(false) : null;
        foreach (var warning in commit?.Warnings ?? [])
        {
            context.Reporter.Warn(warning);
        }

        using var archive = commit is null || dryRun ? null : await CommitArchive.CreateAsync(commit, cancel).ConfigureAwait(false);
        if (archive is not null)
        {
            context.Reporter.Info(commit!.Summary(dryRun: false) + $" ({UploadFolder.Size(archive.Length)} of tar)");
        }

        var revision = upload?.Revision ?? commit?.Commit ?? (Config.Source is UploadSource ? "<upload revision>" : null);
        var prepare = ReleaseScripts.Prepare(Config, lockInfo, stamp, revision);
        if (dryRun)
        {
            Hooks.DeployHooks.Print(context, HookPhase.BeforeDeploy, HookPhase.AfterBuild, HookPhase.BeforeSwitch, HookPhase.AfterSwitch, HookPhase.AfterDeploy, HookPhase.OnFailure);
            migrated = Migrator.Print(context, lockInfo, SkipMigrate);
            var example = new SwitchPlan(stamp, ["<older releases>"], null, Audit(stamp, "<revision>", message), "<previous release>");
            SwitchPhases.PrintOrder(context, hosts);
            return DryRun.Print(context, hosts, folder?.Summary ?? commit?.Summary(dryRun: true), [prepare, .. SwitchPhases.Scripts(context, example, lockInfo, "deploy")]);
        }

        // The leader of every host in hoist.yml, not of the selected ones: a --role or --host run takes the same mutex
        // as a full one (connecting to it only for its lock when it is not selected).
        await using var op = await HostOperation.OpenAsync(context, "deploy", hosts, lockInfo,
            $"on {string.Join(", ", FleetLock.WithLeader(Config, hosts).Select(h => h.Display))}: the deploy lock ({Config.DeployTo}/.hoist/lock) " +
            "and this deploy's unfinished release; once the hosts answer, run `hoist lock release --force` (it also stops what " +
            "this deploy left running there) and check `hoist releases`; the next deploy removes an unfinished release",
            // A host there only for the fleet lock has no release of this run's: only its lock is released (by token).
            h => FleetLock.IsLockOnly(h, hosts) ? ReleaseScripts.Unlock(Config, lockInfo) : ReleaseScripts.Abort(Config, lockInfo), cancel).ConfigureAwait(false);
        var prepareLocked = op.Leader is null ? prepare : ReleaseScripts.Prepare(Config, lockInfo, stamp, revision, lockTaken: true);
        return await context.Reporter.TrackAsync("deploy", hosts, async () =>
        {
            await op.TakeLeaderAsync("nothing was changed on any host", cancel).ConfigureAwait(false);
            await hooks.BeforeAsync(HookPhase.BeforeDeploy, op.Fleet, op.CleanupAsync, cancel).ConfigureAwait(false);
            var prepared = (await op.RunAsync(
                h => op.IsLockOnly(h) ? null : h.Key == op.Leader ? prepareLocked : prepare, "nothing was switched: current is unchanged on every host", cancel,
                payload: upload is not null ? _ => upload.Open() : archive is not null ? _ => archive.Open() : null).ConfigureAwait(false)).ToDictionary(r => r.Host.Key);
            hooks.Learn(prepared);
            await hooks.BeforeAsync(HookPhase.AfterBuild, op.Fleet, op.CleanupAsync, cancel).ConfigureAwait(false);
            migrated = await new Migrator(context).RunAsync(op.Fleet, prepared, lockInfo, SkipMigrate, op.CleanupAsync, cancel).ConfigureAwait(false);
            await hooks.BeforeAsync(HookPhase.BeforeSwitch, op.Fleet, op.CleanupAsync, cancel).ConfigureAwait(false);
            var plans = await PlanAsync(op, prepared, message).ConfigureAwait(false);
            var outcome = await Switcher.RunAsync(context, op.Fleet, plans, lockInfo, "deploy", cancel).ConfigureAwait(false);
            // Throws when the fleet went back: after_switch and after_deploy run only once every host committed.
            var exit = SwitchSummary.Finish(context, outcome, plans, "deploy", run =>
                $"release {plans[run.Host.Key].ReleaseId} ({Revision.Short(PrepareReport.Read(prepared[run.Host.Key]).Revision ?? "")}) is live at {Config.DeployTo}/current");
            await hooks.AfterAsync(HookPhase.AfterSwitch, op.Fleet, outcome.Switched.Select(r => r.Host), cancel).ConfigureAwait(false);
            return await hooks.FinishAsync(HookPhase.AfterDeploy, op.Fleet, exit, cancel).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    /// <summary>Each host's switch; a host that reported no valid release stops the deploy before any switch.</summary>
    private async Task<Dictionary<string, SwitchPlan>> PlanAsync(HostOperation op, Dictionary<string, HostRun> prepared, string? message)
    {
        try
        {
            return prepared.ToDictionary(p => p.Key, p => PlanSwitch(p.Value, message));
        }
        catch (HoistException)
        {
            await op.CleanupAsync().ConfigureAwait(false);
            throw;
        }
    }

    private SwitchPlan PlanSwitch(HostRun prepared, string? message)
    {
        var report = PrepareReport.Read(prepared);
        var release = report.NewRelease;
        if (!ReleaseId.IsValid(release))
        {
            throw new HoistException($"{prepared.Host.Display}: the host reported no valid new release ('{release}'); nothing was switched");
        }

        var state = HostState.Read(prepared);
        var prune = PrunePlan.Select(state.Releases.Select(r => r.Id), release!, state.Current, Config.KeepReleases);
        return new SwitchPlan(release!, prune, null, Audit(release!, report.Revision ?? "", message, state.Current), state.Current);
    }

    private string Audit(string release, string revision, string? message, string? previous = null) =>
        context.AuditLine("deploy", $"release={release} revision={revision} previous={previous ?? "-"} migrate={migrated}" + (message is null ? "" : $" message={message}"));
}
