namespace Hoist.Deploy;

using Hoist.Shell;

/// <summary>The lines that take, check and release the deploy lock: a <c>mkdir</c> on the host, atomic by nature.</summary>
internal static class LockScript
{
    /// <summary>The exit status of a script that found the lock held by someone else (or no longer held by this run).</summary>
    public const int HeldExitCode = 75;

    public static void Take(ScriptBuilder script, LockInfo info)
    {
        script.Step("lock")
            .Line("mkdir", "-p", ShellCommand.Raw(DeployPaths.State))
            .Raw($"if ! lock_error=$(mkdir {DeployPaths.Lock} 2>&1); then")
            .Raw($"  if [ ! -d {DeployPaths.Lock} ]; then echo \"cannot take the deploy lock: $lock_error\" >&2; exit 1; fi")
            // The holder writes its info right after its mkdir; give it that moment.
            .Raw($"  sleep 0.2; echo \"{Marker.Prefix}locked=$(cat {DeployPaths.Lock}/info 2>/dev/null || echo unknown)\"; exit {HeldExitCode}")
            .Raw("fi")
            .Line("printf", "%s\\n", info.Holder, ShellCommand.Raw($"> {DeployPaths.Lock}/info"))
            .Line("printf", "%s\\n", info.Token, ShellCommand.Raw($"> {DeployPaths.Lock}/token"))
            .Raw($"echo $$ > {DeployPaths.Lock}/pid");
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
