namespace Hoist.Deploy;

using Hoist.Config;
using Hoist.Shell;

/// <summary>
/// The two endings of a health-gated switch (<see cref="ReleaseScripts.Switch"/>): commit once every host of the run
/// is healthy, or revert on every host the run switched as soon as one is not.
/// </summary>
internal static class GateScripts
{
    /// <summary>Makes the switch final: the history, the abandoned release's bad mark, prune, the audit line, the lock.</summary>
    public static Script Commit(HoistConfig config, SwitchPlan plan, LockInfo lockInfo)
    {
        var script = new ScriptBuilder("commit").Line(DeployPaths.AssignRoot(config.DeployTo)).Step("commit");
        LockScript.Require(script, lockInfo);
        script.Raw("set +e");
        if (plan.MarkBad is { } bad)
        {
            var abandoned = DeployPaths.Under(DeployPaths.Releases, bad);
            script.Raw($"if [ -d {abandoned} ]; then touch {abandoned}/{StateScript.BadMark}; fi");
        }

        script.Raw($"if [ -f {DeployPaths.History}.new ]; then mv -T {DeployPaths.History}.new {DeployPaths.History}; fi");
        if (ServesWithSetup(config))
        {
            // The old workers the switch's reload held are stopped. Failing here fails nothing: the hold ends by itself.
            script.Step("commit held workers").Raw("serve_commit_status=0");
            UserCommand.Add(script, DeployPaths.Root, config.Env, Setup.SetupScripts.CommitCommand(config), "serve_commit_status");
            script.Raw("[ \"$serve_commit_status\" = 0 ] || " + CommitReport.EchoServeCommitFailed());
        }

        if (plan.Prune.Count > 0)
        {
            script.Step("prune")
                .Raw("rm -rf " + string.Join(' ', plan.Prune.Select(id => DeployPaths.Under(DeployPaths.Releases, id))) + " || " + CommitReport.EchoPruneFailed());
        }

        script.Raw($"cat {DeployPaths.Lock}/audit >> {DeployPaths.Audit} || echo 'the audit line could not be appended to .hoist/audit.log' >&2");
        LockScript.Release(script, lockInfo);
        return script.Build();
    }

    /// <summary>
    /// Puts a host back where this run found it: <c>current</c> renamed back to <see cref="SwitchPlan.Previous"/> (if
    /// this run moved it), the app server reloaded onto it, the failed release marked bad, an audit line, the lock
    /// released. A host whose switch stopped before its rename only drops the history draft and its lock.
    /// </summary>
    /// <param name="auditLine">The line .hoist/audit.log gets, e.g. "TIME WHO revert release=ID back=ID reason=...".</param>
    /// <param name="reload">
    /// False where the switch's reload of hoist setup's service failed: hoist serve refused the new release and keeps its
    /// old workers, so only the link goes back; a second reload would ask it again for nothing. A <c>reload:</c> of the
    /// user's own (a restart, say) may have stopped the old app before the new one failed, so it is always run again.
    /// </param>
    /// <param name="markBad">False for a run stopped by a signal: its release never failed a check, so it is not marked bad.</param>
    public static Script Revert(HoistConfig config, SwitchPlan plan, LockInfo lockInfo, string auditLine, bool reload = true, bool markBad = true)
    {
        var script = new ScriptBuilder("revert").Line(DeployPaths.AssignRoot(config.DeployTo)).Step("revert");
        LockScript.Require(script, lockInfo);
        var failed = DeployPaths.Under(DeployPaths.Releases, plan.ReleaseId);
        script.Raw("set +e")
            .Raw("revert_status=0")
            .Raw($"rm -f {DeployPaths.History}.new")
            .Line(ShellCommand.Raw("if [ \"$(basename \"$(readlink " + DeployPaths.Current + " 2>/dev/null)\")\" ="), plan.ReleaseId, ShellCommand.Raw("]; then"));
        if (plan.Previous is { } previous)
        {
            // A release removed meanwhile (by hand): a link to it would leave current dangling and the host serving nothing.
            script.Line(ShellCommand.Raw("  if [ ! -f"), ShellCommand.Raw(DeployPaths.Under(DeployPaths.Releases, previous) + "/REVISION ]; then"))
                .Line(ShellCommand.Raw("    printf"), "the release to go back to, %s, is gone (or incomplete): current is left on %s, the failed release; deploy a good release\\n",
                    previous, plan.ReleaseId, ShellCommand.Raw(">&2; revert_status=1"))
                .Line(ShellCommand.Raw("  elif ln"), "-sfn", "releases/" + previous, ShellCommand.Raw(DeployPaths.Root + "/.current.tmp &&"),
                    ShellCommand.Raw("mv"), "-T", ShellCommand.Raw(DeployPaths.Root + "/.current.tmp"), ShellCommand.Raw(DeployPaths.Current + "; then"))
                .Line(RevertReport.EchoReverted(previous))
                .Raw("  else")
                .Raw($"    rm -f {DeployPaths.Root}/.current.tmp; echo 'current could not be put back; it still points at the failed release' >&2; revert_status=1")
                .Raw("  fi")
                .Raw("fi")
                .Raw("if [ \"$revert_status\" = 0 ]; then");
            if (reload)
            {
                // hoist setup's service first puts back the old workers the switch's reload held (at once), else reloads.
                AddReload(script, config, previous, "revert_status", RevertReport.ReloadKey,
                    ServesWithSetup(config) ? Setup.SetupScripts.RevertCommand(config) : null);
            }

            script.Raw("  :").Raw("fi");
        }
        else
        {
            // A first deploy has nothing to go back to: current is left on it (marked bad), and the caller says so.
            script.Line(RevertReport.EchoReverted(RevertReport.NothingBefore)).Raw("fi");
        }

        if (markBad)
        {
            script.Raw($"if [ -d {failed} ]; then touch {failed}/{StateScript.BadMark}; fi");
        }

        script.Line(ShellCommand.Raw("printf"), "%s\\n", ReleaseScripts.AuditText(auditLine),
                ShellCommand.Raw($">> {DeployPaths.Audit} || echo 'the audit line could not be appended to .hoist/audit.log' >&2"));
        LockScript.Release(script, lockInfo);
        return script.Raw("exit \"$revert_status\"").Build();
    }

    /// <summary>True where the reload is hoist setup's service (hoist serve), not a <c>reload:</c> of the user's own.</summary>
    private static bool ServesWithSetup(HoistConfig config) => config.Reload is null && config.Setup is not null && config.Serve is not null;

    /// <summary>
    /// The reload step: the config's <c>reload:</c>, or, with setup: and no reload: of its own, the service hoist
    /// setup made (reloaded with a hold on its old workers, or started the first time). Its exit status goes into
    /// <paramref name="statusVariable"/>.
    /// </summary>
    /// <param name="reportKey">The key its status is reported under: <see cref="SwitchReport.ReloadKey"/> unless the revert's.</param>
    /// <param name="service">What runs instead for hoist setup's service (the revert's), when not the switch's reload.</param>
    /// <param name="hold">How long the switch's reload of hoist setup's service holds the old workers (<see cref="Setup.SetupScripts.HoldFor"/>).</param>
    public static void AddReload(
        ScriptBuilder script, HoistConfig config, string releaseId, string statusVariable, ReportKey? reportKey = null, string? service = null, TimeSpan? hold = null)
    {
        var reload = config.Reload ?? (ServesWithSetup(config) ? service ?? Setup.SetupScripts.ReloadCommand(config, hold ?? Setup.SetupScripts.HoldFor(config)) : null);
        if (reload is null)
        {
            return;
        }

        script.Step("reload")
            .Raw($"export HOIST_RELEASE={ShellQuote.Quote(releaseId)} HOIST_RELEASE_PATH={DeployPaths.Under(DeployPaths.Releases, releaseId)} HOIST_DEPLOY_TO=\"$D\"");
        UserCommand.Add(script, DeployPaths.Root, config.Env, reload, statusVariable);
        script.Report(reportKey ?? SwitchReport.ReloadKey, "$" + statusVariable);
    }
}
