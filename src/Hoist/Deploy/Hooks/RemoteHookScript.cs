namespace Hoist.Deploy.Hooks;

using Hoist.Config;
using Hoist.Shell;

/// <summary>
/// The script of one remote hook on one host: its <c>HOIST_*</c> variables and the config's env exported (in the
/// script on stdin, so never in argv), run in the release folder (<c>deploy_to</c> while there is none yet, or no
/// longer one; the home before a first deploy made <c>deploy_to</c>), with the host's secret values learnt first so its output shows them redacted.
/// </summary>
internal static class RemoteHookScript
{
    /// <param name="underLock">While the deploy lock is this run's (after_build, before_switch): checked, and this script
    /// made the one an abort (Ctrl-C) stops.</param>
    public static Script Build(HoistConfig config, HookConfig hook, HookVariables variables, LockInfo? underLock)
    {
        var script = new ScriptBuilder("hook " + hook.Path).Line(DeployPaths.AssignRoot(config.DeployTo));
        HostSecrets.Report(script, config);
        if (underLock is not null)
        {
            LockScript.Resume(script, underLock);
        }

        script.Step("hook: " + hook.Command);
        foreach (var (name, value) in variables.Pairs())
        {
            script.Line(ShellCommand.Raw("export"), new AssignmentPart(name, ShellValue.Plain(value)));
        }

        script.Raw($"if [ -n \"$HOIST_RELEASE\" ] && [ -d {DeployPaths.Releases}/\"$HOIST_RELEASE\" ]; then hook_dir={DeployPaths.Releases}/\"$HOIST_RELEASE\"; elif [ -d \"$D\" ]; then hook_dir=\"$D\"; else hook_dir=\"$HOME\"; fi")
            .Raw("export HOIST_RELEASE_PATH=\"$hook_dir\" HOIST_DEPLOY_TO=\"$D\"");
        UserCommand.Add(script, "\"$hook_dir\"", config.Env, hook.Command);
        return script.Build();
    }
}
