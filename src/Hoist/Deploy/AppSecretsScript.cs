namespace Hoist.Deploy;

using Hoist.Config;
using Hoist.Shell;

/// <summary>
/// <c>setup.secrets</c> for the deploy's own commands (the venv's pip, <c>build</c>, <c>migrate</c>): each read on the host
/// from <c>shared/.env</c>, where setup keeps it, into the environment. A framework that refuses to load its settings
/// without its key (Django's <c>SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]</c>: collectstatic, migrate) then runs
/// as written, with no <c>. shared/.env</c> in the command. The value goes from the file into a variable: it is in no
/// argv, and HostSecrets already hides every value of that file in what the commands print.
/// </summary>
internal static class AppSecretsScript
{
    /// <param name="defineReader">False where the script already has <see cref="MigrateScript.AddEnvValue"/>'s <c>env_value</c>.</param>
    public static void Export(ScriptBuilder script, HoistConfig config, bool defineReader = true)
    {
        if (config.Setup is not { Secrets: [_, ..] secrets })
        {
            return;
        }

        if (defineReader)
        {
            MigrateScript.AddEnvValue(script);
        }

        // A value the file lacks (setup not run yet) is left unset, so the command's own error names the variable.
        foreach (var name in secrets)
        {
            script.Raw($"hoist_secret=$(env_value {name} {DeployPaths.Shared}/.env); if [ -n \"$hoist_secret\" ]; then export {name}=\"$hoist_secret\"; fi");
        }

        script.Raw("unset hoist_secret");
    }
}
