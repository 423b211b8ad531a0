namespace Hoist.Deploy;

using Hoist.Config;
using Hoist.Shell;

/// <summary>The scripts of a release: prepare (lock, fetch, link, build) on every host first, then switch everywhere.</summary>
internal static class ReleaseScripts
{
    private const string SharedLeaves =
        "shared entry '%s': '%s' in the release is a symlink to %s (leaves the release); this release is removed and current is unchanged. " +
        "Make '%s' a real folder in the repository, share '%s' itself, or remove the entry from shared:\\n";

    private const string SharedNotFolder =
        "shared entry '%s': '%s' in the release is a file, not a folder; this release is removed and current is unchanged. " +
        "Remove or rename '%s' in the repository, or fix the entry in shared:\\n";

    /// <summary>
    /// Locks, drops releases left incomplete by a killed run, reports the layout, creates <c>releases/ID</c>
    /// from the host's git or from the tar on stdin (an upload, or fetch: local's commit), links shared entries, makes the
    /// release's venv (python:), builds,
    /// and only then writes REVISION, which is what marks a release complete. With <paramref name="lockTaken"/>, the lock
    /// is this run's already (taken on the fleet's first host before the others) and is only checked.
    /// </summary>
    /// <param name="sentRevision">The revision of what is sent on stdin (the upload's hash, fetch: local's commit); null when the host fetches.</param>
    public static Script Prepare(HoistConfig config, LockInfo lockInfo, string stamp, string? sentRevision, bool lockTaken = false)
    {
        var script = new ScriptBuilder("prepare").Line(DeployPaths.AssignRoot(config.DeployTo));
        DeployToOwnership.Require(script);
        // Right after deploy_to is known to be this user's: a lock holder's text or a build may print one of the host's values.
        HostSecrets.Report(script, config);
        if (lockTaken)
        {
            LockScript.Resume(script, lockInfo);
        }
        else
        {
            LockScript.Take(script, lockInfo);
        }

        script.Step("clean").Line("mkdir", "-p", ShellCommand.Raw(DeployPaths.Releases), ShellCommand.Raw(DeployPaths.Shared));
        RemoveIncomplete(script);
        StateScript.Report(script);

        script.Step("fetch");
        if (config.Source is GitSource git)
        {
            AddGitFetch(script, git);
        }
        else
        {
            script.Line(new AssignmentPart("rev", ShellValue.Plain(sentRevision ?? throw new ArgumentNullException(nameof(sentRevision)))));
        }

        script.Raw($"id={stamp}; n=1")
            .Raw($"while [ -e {DeployPaths.Releases}/\"$id\" ]; do n=$((n+1)); id={stamp}-$n; done")
            .Raw($"R={DeployPaths.Releases}/\"$id\"")
            .Raw($"echo \"$id\" > {DeployPaths.Lock}/release");
        PrepareReport.Add(script).Raw("mkdir \"$R\"");
        if (config.Source is not GitSource)
        {
            script.Report(ScriptMarkers.Payload, ScriptMarkers.PayloadWanted);
        }

        script
            .Raw(config.Source is GitSource
                ? $"git -C {DeployPaths.Repo} archive --format=tar \"$rev\" | tar -x -f - -C \"$R\""
                : "tar -x -f - -C \"$R\" --no-same-owner")
            // REVISION marks a release complete, so one that came with the code must not count until the build is done.
            .Raw($"rm -f \"$R\"/REVISION \"$R\"/{StateScript.BadMark}");

        AddSharedLinks(script, config.Shared);
        script.Raw("export HOIST_RELEASE=\"$id\" HOIST_REVISION=\"$rev\" HOIST_RELEASE_PATH=\"$R\" HOIST_DEPLOY_TO=\"$D\"");
        if (config.Python is { Venv: true } || config.Build.Count > 0)
        {
            AppSecretsScript.Export(script, config);
        }

        if (config.Python is { Venv: true } python)
        {
            VenvScript.Add(script, python, config.Env);
        }

        foreach (var command in config.Build)
        {
            script.Step("build: " + command);
            UserCommand.Add(script, "\"$R\"", config.Env, command);
        }

        script.Step("finish").Raw("printf '%s\\n' \"$rev\" > \"$R\"/REVISION");
        return script.Build();
    }

    /// <summary>
    /// The first phase of the health-gated switch: points <c>current</c> at the release with one rename(2), reloads
    /// the app server and asks its health. The lock stays held and the history unchanged (its next version waits in
    /// <c>history.new</c>): the fleet then commits (<see cref="GateScripts.Commit"/>) or reverts (<see cref="GateScripts.Revert"/>)
    /// every host at once. Exits non-zero when the reload failed or the host is not healthy.
    /// </summary>
    /// <param name="batches">The batches still to switch, this host's included: hoist serve holds the old workers until the last one's gate.</param>
    public static Script Switch(HoistConfig config, SwitchPlan plan, LockInfo lockInfo, int batches = 1)
    {
        var script = new ScriptBuilder("switch").Line(DeployPaths.AssignRoot(config.DeployTo)).Step("switch");
        LockScript.Require(script, lockInfo);
        var release = DeployPaths.Under(DeployPaths.Releases, plan.ReleaseId);
        // A deploy's new release (named in the lock by its prepare) that cannot go live is removed, as a failed
        // prepare's is: else a complete release that never was live stays until pruned. A rollback names none.
        script.Raw("unused_release() {")
            .Raw($"  mine=$(cat {DeployPaths.Lock}/release 2>/dev/null || true)")
            .Raw($"  if [ -n \"$mine\" ] && [ \"$mine\" != \"$(basename \"$(readlink {DeployPaths.Current} 2>/dev/null)\")\" ]; then rm -rf {DeployPaths.Releases}/\"$mine\"; fi")
            .Raw("}");

        // The history and the audit line are written before the rename, so a full disk stops the switch with
        // current unchanged instead of switching without a record (the history is what rollback follows).
        script.Raw($"if ! record_error=$( {{")
            .Raw($"  {{ if [ -f {DeployPaths.History} ]; then cp {DeployPaths.History} {DeployPaths.History}.new; else : > {DeployPaths.History}.new; fi; }} &&")
            .Line(ShellCommand.Raw("  printf"), "%s\\n", plan.ReleaseId, ShellCommand.Raw($">> {DeployPaths.History}.new &&"))
            .Line(ShellCommand.Raw("  printf"), "%s\\n", AuditText(plan.AuditLine), ShellCommand.Raw($"> {DeployPaths.Lock}/audit"))
            .Raw("} 2>&1 ); then")
            .Raw($"  rm -f {DeployPaths.History}.new")
            .Raw("  unused_release; echo \"cannot record the switch, nothing was switched: $record_error\" >&2; exit 1")
            .Raw("fi")
            .Line("rm", "-f", ShellCommand.Raw(release + "/" + StateScript.BadMark))
            // A full disk or no inode left fails the link: current is unchanged, and nothing of the switch may stay.
            .Raw("if ! switch_error=$( {")
            .Line(ShellCommand.Raw("  ln"), "-sfn", "releases/" + plan.ReleaseId, ShellCommand.Raw(DeployPaths.Root + "/.current.tmp &&"))
            .Line(ShellCommand.Raw("  mv"), "-T", ShellCommand.Raw(DeployPaths.Root + "/.current.tmp"), ShellCommand.Raw(DeployPaths.Current))
            .Raw("} 2>&1 ); then")
            .Raw($"  rm -f {DeployPaths.Root}/.current.tmp {DeployPaths.History}.new")
            .Raw("  unused_release; echo \"current could not be pointed at the release (a deploy's new one is removed): $switch_error\" >&2; exit 1")
            .Raw("fi")
            .Line(SwitchReport.EchoSwitched())
            .Raw("set +e")
            .Raw("reload_status=0");
        GateScripts.AddReload(script, config, plan.ReleaseId, "reload_status", hold: Setup.SetupScripts.HoldFor(config, batches));
        HealthScript.Add(script, config, "reload_status");
        return script.Raw("exit \"$reload_status\"").Build();
    }

    /// <summary>
    /// Undoes a failed or interrupted prepare, only where this run holds the lock: stops the prepare script if it
    /// still runs (a build interrupted by Ctrl-C), removes this run's release and any unfinished one, and releases the lock.
    /// </summary>
    public static Script Abort(HoistConfig config, LockInfo lockInfo)
    {
        var script = new ScriptBuilder("abort").Line(DeployPaths.AssignRoot(config.DeployTo))
            .Raw($"if [ \"$(cat {DeployPaths.Lock}/token 2>/dev/null)\" = {ShellQuote.Quote(lockInfo.Token)} ]; then");
        LockScript.StopHolder(script);
        RemoveIncomplete(script);
        // This run's release, complete or not, never went live: a host that finished its build while another failed drops it too.
        script.Raw($"  mine=$(cat {DeployPaths.Lock}/release 2>/dev/null || true)")
            .Raw($"  if [ -n \"$mine\" ] && [ \"$mine\" != \"$live\" ]; then rm -rf {DeployPaths.Releases}/\"$mine\"; fi")
            .Raw($"  rm -rf {DeployPaths.Lock}").Raw("fi");
        return script.Build();
    }

    /// <summary>Releases this run's lock on a host whose switch failed before the rename.</summary>
    public static Script Unlock(HoistConfig config, LockInfo lockInfo)
    {
        var script = new ScriptBuilder("unlock").Line(DeployPaths.AssignRoot(config.DeployTo));
        LockScript.Release(script, lockInfo);
        return script.Build();
    }

    /// <summary>Deletes releases without REVISION (left by a failed or killed prepare), never the live one.</summary>
    private static void RemoveIncomplete(ScriptBuilder script) => script
        .Raw($"live=$(basename \"$(readlink {DeployPaths.Current} 2>/dev/null)\")")
        .Raw($"for r in {DeployPaths.Releases}/*/; do")
        .Raw("  if [ -d \"$r\" ] && [ ! -f \"$r\"REVISION ] && [ \"$(basename \"$r\")\" != \"$live\" ]; then rm -rf \"$r\"; fi")
        .Raw("done");

    /// <summary>Appends one line to the audit log; control characters in it are made visible, so no field can forge an entry.</summary>
    public static void AddAudit(ScriptBuilder script, string line) =>
        script.Line("printf", "%s\\n", AuditText(line), ShellCommand.Raw($">> {DeployPaths.Audit}"));

    /// <summary>An audit line as written: control characters made visible, so no field can forge an entry.</summary>
    public static string AuditText(string line) => Output.TerminalText.Visible(line, oneLine: true);

    /// <summary>
    /// Brings the mirror up to date, cleaning up after a fetch that failed half way (a full disk leaves git's
    /// <c>tmp_*</c> files behind, which then fill the next deploy's disk too): a first clone goes to a folder of
    /// its own, renamed into place only when complete. Under the deploy lock no other git works in the mirror, and
    /// automatic gc runs inside the fetch rather than detached after it, so nothing else writes temp files there.
    /// </summary>
    private static void AddGitFetch(ScriptBuilder script, GitSource git)
    {
        var repo = DeployPaths.Repo;
        var cleanTemp = $"find {repo}/objects -maxdepth 2 -type f -name 'tmp_*' -delete 2>/dev/null || true";
        script.Line(GitRemote.Assign(git))
            .Raw($"if [ -d {repo} ]; then")
            .Raw("  " + cleanTemp)
            .Raw($"  git -C {repo} remote set-url -- origin {GitRemote.Url}")
            .Raw($"  git -C {repo} -c gc.autoDetach=false -c maintenance.autoDetach=false fetch --quiet --prune origin || {{ s=$?; {cleanTemp}; exit \"$s\"; }}")
            .Raw("else")
            .Raw($"  rm -rf {repo}.new")
            .Raw($"  git clone --quiet --mirror -- {GitRemote.Url} {repo}.new || {{ s=$?; rm -rf {repo}.new; exit \"$s\"; }}")
            .Raw($"  mv -T {repo}.new {repo}")
            .Raw("fi")
            .Raw($"rev=$(git -C {repo} rev-parse --verify --quiet {ShellQuote.Quote(git.Branch + "^{commit}")}) || " +
                 $"{{ echo {ShellQuote.Quote($"branch '{git.Branch}' was not found in {git.Repo}")} >&2; exit 1; }}");
    }

    /// <summary>
    /// Links each shared entry into the release without following a symlink the release contains out of it: every
    /// parent of an entry is checked first (a link that resolves inside the release is followed, any other is
    /// refused), and only then is the entry itself replaced, <c>rm</c> and <c>ln -sfn</c> acting on the link, never
    /// on what it points at. The release is this run's own and nothing else writes to it before the build.
    /// </summary>
    private static void AddSharedLinks(ScriptBuilder script, IReadOnlyList<string> shared)
    {
        if (shared.Count == 0)
        {
            return;
        }

        script.Step("link shared")
            .Raw("shared_parent() {")
            .Raw("  local p=\"$R\"/\"$2\"")
            .Raw("  if [ -L \"$p\" ]; then")
            .Raw("    case \"$(readlink -f -- \"$p\" || true)/\" in")
            .Raw("      \"$(readlink -f -- \"$R\")\"/*) ;;")
            .Line(ShellCommand.Raw("      *) printf"), SharedLeaves, ShellCommand.Raw("\"$1\" \"$2\" \"$(readlink -- \"$p\")\" \"$2\" \"$2\" >&2; exit 1 ;;"))
            .Raw("    esac")
            .Raw("  elif [ -e \"$p\" ] && [ ! -d \"$p\" ]; then")
            .Line(ShellCommand.Raw("    printf"), SharedNotFolder, ShellCommand.Raw("\"$1\" \"$2\" \"$2\" >&2; exit 1"))
            .Raw("  fi")
            .Raw("}");
        foreach (var entry in shared)
        {
            var source = DeployPaths.Under(DeployPaths.Shared, entry);
            var target = "\"$R\"/" + ShellQuote.Quote(entry);
            foreach (var parent in SharedEntry.Parents(entry))
            {
                script.Line("shared_parent", entry, parent);
            }

            var create = SharedEntry.IsFile(entry)
                ? $"mkdir -p \"$(dirname {source})\" && (umask 077 && touch {source})"
                : $"mkdir -p {source}";
            script.Raw($"if [ ! -e {source} ]; then {create}; fi")
                .Raw($"rm -rf {target}; mkdir -p \"$(dirname {target})\"; ln -sfn {source} {target}");
        }
    }
}
