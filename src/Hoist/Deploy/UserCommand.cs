namespace Hoist.Deploy;

using Hoist.Config;
using Hoist.Shell;

/// <summary>
/// Runs a command the user wrote (build, reload, exec) as a shell would: in a subshell with plain shell rules
/// (not the -e/-u of Hoist's own scripts), in a given folder, with the config's environment exported.
/// </summary>
internal static class UserCommand
{
    /// <param name="folder">Shell syntax for the folder, e.g. <c>"$R"</c>.</param>
    /// <param name="statusVariable">If set, a failure is stored there instead of stopping the script.</param>
    public static void Add(ScriptBuilder script, string folder, IEnumerable<EnvVar> env, string command, string? statusVariable = null)
    {
        script.Raw("(")
            .Raw("set +e +u +o pipefail")
            .Raw($"cd {folder}");
        foreach (var variable in env)
        {
            script.Line(ShellCommand.Raw("export"), new AssignmentPart(variable.Name, variable.Value));
        }

        // Through eval, so the command is parsed when its step runs: a syntax error fails that step, named by its
        // command, instead of making bash refuse the whole script before its first step ("step '' failed").
        script.Line(ShellCommand.Raw("eval"), command);
        script.Raw(statusVariable is null ? ")" : $") || {statusVariable}=$?");
    }
}
