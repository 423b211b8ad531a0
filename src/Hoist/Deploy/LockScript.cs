namespace Hoist.Deploy;

using Hoist.Shell;

/// <summary>The lines that take and release the deploy lock: a <c>mkdir</c> on the host, atomic by nature.</summary>
internal static class LockScript
{
    /// <summary>The exit status of a script that found the lock held by someone else.</summary>
    public const int HeldExitCode = 75;

    public static void Take(ScriptBuilder script, LockInfo info)
    {
        script.Step("lock")
            .Line("mkdir", "-p", ShellCommand.Raw(DeployPaths.State))
            .Raw($"if ! mkdir {DeployPaths.Lock} 2>/dev/null; then")
            .Raw($"  sleep 0.2; echo \"{Marker.Prefix}locked=$(cat {DeployPaths.Lock}/info 2>/dev/null || echo unknown)\"; exit {HeldExitCode}")
            .Raw("fi")
            .Line("printf", "%s\\n", info.Holder, ShellCommand.Raw($"> {DeployPaths.Lock}/info"))
            .Line("printf", "%s\\n", info.Token, ShellCommand.Raw($"> {DeployPaths.Lock}/token"))
            .Raw($"echo $$ > {DeployPaths.Lock}/pid");
    }

    /// <summary>Removes the lock only if this run's token is in it, so a forced release is never undone by a late unlock.</summary>
    public static void Release(ScriptBuilder script, LockInfo info) =>
        script.Raw($"if [ \"$(cat {DeployPaths.Lock}/token 2>/dev/null)\" = {ShellQuote.Quote(info.Token)} ]; then rm -rf {DeployPaths.Lock}; fi");
}
