namespace Hoist.Deploy;

using Hoist.Shell;

/// <summary>The lines that take, check and release the deploy lock: a <c>mkdir</c> on the host, atomic by nature.</summary>
internal static class LockScript
{
    /// <summary>The exit status of a script that found the lock held by someone else (or no longer held by this run).</summary>
    public const int HeldExitCode = 75;

    /// <summary>
    /// What a reader says of a lock whose holder cannot be read: only a Hoist older than the all-or-nothing
    /// <see cref="Take"/>, or a hand-made folder, leaves one.
    /// </summary>
    public const string UnknownHolder = "an unknown holder (.hoist/lock has no readable info; a deploy that failed while taking the lock may have left it)";

    /// <summary>Shell: the holder of the lock, or <see cref="UnknownHolder"/> when its info is missing, empty or unreadable.</summary>
    public static readonly string HolderValue =
        $"$(h=$(head -c 1000 {DeployPaths.Lock}/info 2>/dev/null | head -n 1 || true); printf '%s' \"${{h:-{UnknownHolder}}}\")";

    /// <summary>
    /// Takes the lock all or nothing: its info is written into a folder of this run's own, which is then renamed to
    /// <c>.hoist/lock</c> without replacing anything there. A full disk fails the writes before anything is taken,
    /// so no lock without a holder is ever left, and a reader never sees a lock whose info is not written yet.
    /// </summary>
    public static void Take(ScriptBuilder script, LockInfo info)
    {
        script.Step("lock")
            .Line("mkdir", "-p", ShellCommand.Raw(DeployPaths.State))
            .Raw($"lock_new={DeployPaths.State}/lock.new.$$")
            .Raw("rm -rf \"$lock_new\"")
            // A kill -9 between its mkdir and its rename leaves a run's lock.new.PID: never the lock, but removed here
            // once no process has that PID (one that does, however unlikely its PID was reused, is left for later).
            .Raw($"for n in {DeployPaths.State}/lock.new.*; do p=${{n##*.}}; case \"$p\" in ''|*[!0-9]*) ;; *) [ -d /proc/\"$p\" ] || rm -rf \"$n\" ;; esac; done")
            .Raw("if ! lock_error=$( {")
            .Raw("  mkdir \"$lock_new\" &&")
            .Line(ShellCommand.Raw("  printf"), "%s\\n", info.Holder, ShellCommand.Raw("> \"$lock_new\"/info &&"))
            .Line(ShellCommand.Raw("  printf"), "%s\\n", info.Token, ShellCommand.Raw("> \"$lock_new\"/token &&"))
            .Raw("  echo $$ > \"$lock_new\"/pid")
            .Raw("} 2>&1 ); then")
            .Raw("  rm -rf \"$lock_new\"; echo \"cannot take the deploy lock: $lock_error\" >&2; exit 1")
            .Raw("fi")
            // -n: rename(2) would replace an empty folder; with -n mv leaves anything already there in place, and
            // the token read back says whether this run holds the lock, whatever mv's version reports.
            .Raw($"mv_error=$(mv -n -T \"$lock_new\" {DeployPaths.Lock} 2>&1) || true")
            .Raw("rm -rf \"$lock_new\"")
            .Raw($"if [ \"$(cat {DeployPaths.Lock}/token 2>/dev/null)\" != {ShellQuote.Quote(info.Token)} ]; then")
            // mv -n skips a dangling symlink or a file in the way without a word: name what is there and how to clear it.
            .Raw($"  if [ ! -d {DeployPaths.Lock} ]; then")
            .Raw($"    if [ -L {DeployPaths.Lock} ]; then lock_why=\"is a symlink to $(readlink {DeployPaths.Lock}), not a lock folder\"")
            .Raw($"    elif [ -e {DeployPaths.Lock} ]; then lock_why='is a file, not a lock folder'")
            .Raw("    else lock_why=\"could not be made: ${mv_error:-mv gave no reason}\"; fi")
            .Raw("    echo \"cannot take the deploy lock: $D/.hoist/lock $lock_why; Hoist never leaves one: if nothing of yours uses it, remove it (rm $D/.hoist/lock) and try again\" >&2; exit 1")
            .Raw("  fi")
            .Raw($"  {LockReport.EchoHolder()}; exit {HeldExitCode}")
            .Raw("fi");
    }

    /// <summary>
    /// In place of <see cref="Take"/> for a script that runs under a lock this run took earlier: checks it is still
    /// this run's, and makes this script the one a forced release or an abort stops.
    /// </summary>
    public static void Resume(ScriptBuilder script, LockInfo info)
    {
        Require(script.Step("lock"), info);
        script.Raw($"echo $$ > {DeployPaths.Lock}/pid");
    }

    /// <summary>Stops the script unless this run still holds the lock (someone may have forced it away).</summary>
    public static void Require(ScriptBuilder script, LockInfo info) =>
        script.Raw($"if [ \"$(cat {DeployPaths.Lock}/token 2>/dev/null)\" != {ShellQuote.Quote(info.Token)} ]; then")
            .Raw($"  echo 'the deploy lock is no longer held by this run (released with --force?); nothing was switched' >&2; exit {HeldExitCode}")
            .Raw("fi");

    /// <summary>Removes the lock only if this run's token is in it, so a forced release is never undone by a late unlock.</summary>
    public static void Release(ScriptBuilder script, LockInfo info) =>
        script.Raw($"if [ \"$(cat {DeployPaths.Lock}/token 2>/dev/null)\" = {ShellQuote.Quote(info.Token)} ]; then rm -rf {DeployPaths.Lock}; fi");

    /// <summary>
    /// Stops the script that took the lock if it still runs (a build after Ctrl-C or kill -9 of hoist). Over SSH it
    /// leads its own process group; a local one shares ours, and is stopped by Hoist itself.
    /// </summary>
    public static void StopHolder(ScriptBuilder script) => script
        .Raw($"holder_group=$(ps -o pgid= -p \"$(cat {DeployPaths.Lock}/pid 2>/dev/null || echo 0)\" 2>/dev/null | tr -d ' ' || true)")
        .Raw("if [ -n \"$holder_group\" ] && [ \"$holder_group\" != \"$(ps -o pgid= -p $$ | tr -d ' ')\" ]; then kill -TERM -- -\"$holder_group\" 2>/dev/null || true; sleep 0.2; fi");
}
