namespace Hoist.Deploy.Hooks;

using Hoist.Config;
using Hoist.Core;
using Hoist.Remote;

/// <summary>
/// The hooks of one deploy or rollback, called at each phase point: a failing before_* (or after_build) hook stops
/// the deploy on its abort path; failing after_* hooks are reported and make the run fail, changing nothing back;
/// on_failure runs once when the run fails, and its own failure never hides the first error.
/// </summary>
internal sealed class DeployHooks(RunContext context, string? message, LockInfo lockInfo)
{
    private readonly HookRunner runner = new(context);
    private readonly Dictionary<string, string> releases = [];
    private readonly List<string> afterFailures = [];
    private string revision = "";
    private IReadOnlyList<HostConfig> targets = [];

    private HooksConfig Hooks => context.Config.Hooks;

    /// <summary>Runs the deploy or rollback, and on_failure when it fails (not when it is interrupted).</summary>
    public async Task<int> GuardAsync(IReadOnlyList<HostConfig> hosts, CancellationToken cancel, Func<Task<int>> run)
    {
        targets = hosts.Where(context.Config.GetsReleases).ToList();
        try
        {
            return await run().ConfigureAwait(false);
        }
        catch (Exception error) when (error is not OperationCanceledException && !cancel.IsCancellationRequested && Hooks.For(HookPhase.OnFailure).Count > 0)
        {
            await OnFailureAsync(error, cancel).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>What each host prepared (its release id, the revision): the variables of the phases after it.</summary>
    public void Learn(IReadOnlyDictionary<string, HostRun> prepared)
    {
        foreach (var (key, run) in prepared)
        {
            var report = PrepareReport.Read(run);
            releases[key] = report.NewRelease ?? "";
            revision = report.Revision ?? revision;
        }
    }

    /// <summary>The release each host goes to in a rollback.</summary>
    public void Learn(IReadOnlyDictionary<string, SwitchPlan> plans)
    {
        foreach (var (key, plan) in plans)
        {
            releases[key] = plan.ReleaseId;
        }
    }

    /// <summary>A phase that must pass before anything is switched: on a failing hook (or Ctrl-C), aborts and throws.</summary>
    public async Task BeforeAsync(HookPhase phase, Fleet fleet, Func<Task> abort, CancellationToken cancel)
    {
        if (Hooks.For(phase).Count == 0)
        {
            return;
        }

        IReadOnlyList<string> failures;
        try
        {
            // Before the deploy, the lock is not yet taken on every host; after the build it is this run's everywhere.
            failures = await runner.RunAsync(phase, fleet, targets, Variables(phase), phase == HookPhase.BeforeDeploy ? null : lockInfo, stopAtFirst: true, cancel).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            context.Reporter.Warn("interrupted: removing the unfinished release and releasing the lock");
            await abort().ConfigureAwait(false);
            throw;
        }

        if (failures.Count > 0)
        {
            await abort().ConfigureAwait(false);
            throw new HoistException($"{string.Join('\n', failures)}\nthe deploy stopped at {HooksConfig.NameOf(phase)}: nothing was switched, current is unchanged on every host");
        }
    }

    /// <summary>A phase after the switch: failures are reported and kept, and fail the run at <see cref="FinishAsync"/>.</summary>
    public async Task AfterAsync(HookPhase phase, Fleet fleet, IEnumerable<HostConfig> on, CancellationToken cancel)
    {
        var hosts = on.Select(h => h.Key).ToHashSet();
        afterFailures.AddRange(await runner.RunAsync(
            phase, fleet, targets.Where(h => hosts.Contains(h.Key)).ToList(), Variables(phase), null, stopAtFirst: false, cancel).ConfigureAwait(false));
    }

    /// <summary>Runs the last phase (after_deploy, after_rollback) once all before it passed; then fails if any after_* hook did.</summary>
    public async Task<int> FinishAsync(HookPhase phase, Fleet fleet, int exit, CancellationToken cancel)
    {
        if (afterFailures.Count == 0)
        {
            await AfterAsync(phase, fleet, targets, cancel).ConfigureAwait(false);
        }

        return afterFailures.Count == 0 ? exit : throw new HoistException(
            $"{string.Join('\n', afterFailures)}\nthe release is live; a failing after hook changes nothing back (fix it, or run `hoist rollback`)");
    }

    /// <summary>For --dry-run: the hooks of these phases, in the order they would run.</summary>
    public static void Print(RunContext context, params HookPhase[] phases)
    {
        foreach (var phase in phases)
        {
            foreach (var hook in context.Config.Hooks.For(phase))
            {
                var where = hook.Remote
                    ? hook.Once ? "on the first host, in the release folder" : "on every host, in the release folder"
                    : $"on this machine, in {Path.GetDirectoryName(Path.GetFullPath(context.Config.ConfigPath))}";
                context.Reporter.Info($"# hook {hook.Describe()} ({where})");
            }
        }
    }

    private async Task OnFailureAsync(Exception error, CancellationToken cancel)
    {
        var text = Output.TerminalText.Visible(Shell.KnownSecrets.Redact(error.Message), oneLine: false);
        var remote = Hooks.For(HookPhase.OnFailure).Any(h => h.Remote) && targets.Count > 0;
        try
        {
            // The run's connections are closed by now (or were never made): a remote on_failure hook opens its own.
            await using var fleet = remote ? await context.ConnectAsync(targets, cancel).ConfigureAwait(false) : null;
            var failures = await runner.RunAsync(
                HookPhase.OnFailure, fleet, targets, h => Variables(HookPhase.OnFailure)(h) with { Error = text }, null, stopAtFirst: false, cancel).ConfigureAwait(false);
            if (failures.Count > 0)
            {
                context.Reporter.Warn($"on_failure: {failures.Count} hook(s) failed too (above); the deploy's own error follows");
            }
        }
        catch (Exception hookError) when (hookError is not OperationCanceledException)
        {
            context.Reporter.Warn($"on_failure hooks could not run: {hookError.Message}; the deploy's own error follows");
        }
    }

    private Func<HostConfig?, HookVariables> Variables(HookPhase phase) => host => new HookVariables(
        context.Config.App,
        host is not null ? releases.GetValueOrDefault(host.Key, "") : targets.Select(h => releases.GetValueOrDefault(h.Key)).FirstOrDefault(r => r is not null) ?? "",
        revision,
        string.Join(",", targets.Select(h => h.Display)),
        RunContext.Who,
        message ?? "",
        HooksConfig.NameOf(phase));
}
