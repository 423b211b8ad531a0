namespace Hoist.Setup;

using Hoist.Config;
using Hoist.Core;
using Hoist.Deploy;
using Hoist.Remote;
using Hoist.Shell;

/// <summary>
/// hoist setup runs under the deploy lock on each web host, taken as a deploy takes it (<see cref="FleetLock"/>: the
/// first of hoist.yml's hosts alone, even when it is not a web host, then the others; all or nothing), so it never
/// rewrites shared/.env or serve.ini, or restarts the service, while a deploy switches. Released on every way out,
/// with an audit line of what changed.
/// </summary>
internal sealed class SetupLock(RunContext context, IReadOnlyList<HostConfig> web)
{
    private static readonly TimeSpan CleanupTimeout = TimeSpan.FromSeconds(30);

    private readonly LockInfo info = LockInfo.For("setup", context.Clock.GetUtcNow());

    private HoistConfig Config => context.Config;

    /// <summary>The lock's holder info (its token is what every release checks).</summary>
    public LockInfo Info => info;

    /// <summary>What a failed or interrupted setup runs on each host: the lock released (by token) where setup takes it.</summary>
    public Script? Cleanup(HostConfig host) => web.Any(w => w.Key == host.Key) || IsLeaderOnly(host) ? ReleaseScripts.Unlock(Config, info) : null;

    /// <summary>Takes the lock on every web host, or on none: a held one fails with <see cref="ExitCodes.LockHeld"/>.</summary>
    /// <remarks>The lock-only leader runs setup's own take too: it may not be set up yet.</remarks>
    public Task TakeAsync(HostOperation op, CancellationToken cancel)
    {
        var take = TakeScript();
        return op.TakeEverywhereAsync(take, "no host was changed", cancel, web, takeOnly: take);
    }

    /// <summary>Appends each web host's audit line and releases the lock there; a failure here is a warning, never the run's error.</summary>
    public async Task ReleaseAsync(Fleet fleet, SetupLog log)
    {
        try
        {
            using var timeout = new CancellationTokenSource(CleanupTimeout);
            // The fleet lock's host, when it is not a web host, changed nothing: only its lock is released, last.
            var runs = await fleet.RunAsync(
                h => web.Any(w => w.Key == h.Key) ? ReleaseScript(log.AuditLine(context.AuditLine, h)) : null, null, quiet: true, timeout.Token).ConfigureAwait(false);
            runs = [.. runs, .. await fleet.RunAsync(h => IsLeaderOnly(h) ? ReleaseScripts.Unlock(Config, info) : null, null, quiet: true, timeout.Token).ConfigureAwait(false)];
            foreach (var run in runs.Where(r => !r.Ok))
            {
                context.Reporter.Warn($"{run.Host.Display}: could not release the deploy lock (exit {run.ExitCode}): {run.Tail(2)}; run `hoist lock release --force` once setup is surely over");
            }
        }
        catch (Exception error) when (error is OperationCanceledException or HoistException or IOException)
        {
            context.Reporter.Warn($"could not release the deploy lock on the web hosts ({error.Message}); run `hoist lock release --force` once setup is surely over");
        }
    }

    private bool IsLeaderOnly(HostConfig host) => host.Key == FleetLock.Leader(Config).Key && FleetLock.IsLockOnly(host, web);

    private Script TakeScript()
    {
        // No deploy_to yet (setup makes it, as root): nothing was ever deployed there to guard, and making it here
        // would change a host before setup's prechecks have passed. One the login user cannot write (made by hand as
        // root) no deploy by that user can lock either, and setup is what gives it to that user.
        var script = new ScriptBuilder("setup lock").Line(DeployPaths.AssignRoot(Config.DeployTo))
            .Raw($"if [ ! -d {DeployPaths.Root} ]; then exit 0; fi")
            .Raw($"if [ ! -w {DeployPaths.Root} ] || {{ [ -e {DeployPaths.State} ] && [ ! -w {DeployPaths.State} ]; }}; then exit 0; fi");
        LockScript.Take(script, info);
        return script.Build();
    }

    private Script ReleaseScript(string auditLine)
    {
        var script = new ScriptBuilder("setup unlock").Line(DeployPaths.AssignRoot(Config.DeployTo))
            .Raw($"if [ -d {DeployPaths.Root} ] && mkdir -p {DeployPaths.State}; then");
        ReleaseScripts.AddAudit(script, auditLine);
        script.Raw("fi");
        LockScript.Release(script, info);
        return script.Build();
    }
}
