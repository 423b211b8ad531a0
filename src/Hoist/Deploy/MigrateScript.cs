namespace Hoist.Deploy;

using Hoist.Config;
using Hoist.Shell;

/// <summary>
/// The script that runs <c>migrate:</c> on its one host: in a deploy, in the new release under the lock its prepare
/// took; alone (<c>hoist migrate</c>), in the live release under a lock of its own, with an audit line. As the login
/// user (never root through sudo), with the owner role's URL as <c>DATABASE_URL</c>: read on the host from
/// <c>.env.migrate</c> (setup's), else the app's <c>shared/.env</c>, into a shell variable, so it is in no argv.
/// </summary>
internal static class MigrateScript
{
    /// <summary>Run between the prepare and the switch: a failure stops the script, and the deploy aborts everywhere.</summary>
    public static Script InDeploy(HoistConfig config, MigrateConfig migrate, LockInfo lockInfo, string releaseId)
    {
        var script = new ScriptBuilder("migrate").Line(DeployPaths.AssignRoot(config.DeployTo));
        HostSecrets.Report(script, config);
        // The prepare's lock, now held by this script: an abort (a Ctrl-C) stops the migration as it stops a build.
        LockScript.Resume(script, lockInfo);
        script.Raw($"R={DeployPaths.Under(DeployPaths.Releases, releaseId)}")
            .Raw("if [ ! -f \"$R\"/REVISION ]; then echo \"the new release $R is not complete; nothing was migrated\" >&2; exit 1; fi");
        AddCommands(script, config, migrate, status: null);
        return script.Build();
    }

    /// <summary>
    /// <c>hoist migrate</c>: takes the lock on its host (after the fleet's first host's, when that is another), runs the
    /// commands in the release <c>current</c> points at, appends the audit line and releases the lock, whatever the
    /// commands did.
    /// </summary>
    public static Script Alone(HoistConfig config, MigrateConfig migrate, LockInfo lockInfo, string auditPrefix)
    {
        var script = new ScriptBuilder("migrate").Line(DeployPaths.AssignRoot(config.DeployTo));
        HostSecrets.Report(script, config);
        LockScript.Take(script, lockInfo);

        script.Raw($"if [ ! -L {DeployPaths.Current} ]; then");
        LockScript.Release(script, lockInfo);
        script.Raw("  echo \"nothing is deployed on this host yet ($D/current does not exist): run hoist deploy, which migrates before its switch\" >&2; exit 1")
            .Raw("fi")
            .Raw($"R={DeployPaths.Releases}/\"$(basename \"$(readlink {DeployPaths.Current})\")\"")
            .Raw("migrate_status=0");
        AddCommands(script, config, migrate, "migrate_status");
        script.Raw("if [ \"$migrate_status\" -eq 0 ]; then migrate_result=ok; else migrate_result=failed; fi")
            .Line(ShellCommand.Raw("printf"), "%s release=%s result=%s\\n", Output.TerminalText.Visible(auditPrefix, oneLine: true),
                ShellCommand.Raw($"\"$(basename \"$R\")\" \"$migrate_result\" >> {DeployPaths.Audit} || echo 'the audit line could not be appended to .hoist/audit.log' >&2"));
        LockScript.Release(script, lockInfo);
        return script.Raw("exit \"$migrate_status\"").Build();
    }

    /// <summary>
    /// <c>env_value NAME FILE</c>: the last NAME= line of FILE, as a shell sourcing it reads it, one pair of quotes
    /// removed (nothing when the file is missing or unreadable); printed only into a variable.
    /// </summary>
    public static ScriptBuilder AddEnvValue(ScriptBuilder script) =>
        script.Raw("env_value() {")
            .Raw("  [ -f \"$2\" ] && [ -r \"$2\" ] || return 0")
            .Raw("  local v")
            .Raw("  v=$(sed -n \"s/^\\(export[[:space:]]\\{1,\\}\\)\\{0,1\\}$1=//p\" \"$2\" | tail -n 1) || true")
            // As hoist serve's EnvFile reads the line: a \r (a file edited on Windows) and the spaces before it are no part of it.
            .Raw("  v=${v%$'\\r'}; v=${v%\"${v##*[![:space:]]}\"}")
            .Raw("  case \"$v\" in \\\"*\\\") v=${v#\\\"}; v=${v%\\\"} ;; \\'*\\') v=${v#\\'}; v=${v%\\'} ;; esac")
            .Raw("  printf '%s' \"$v\"")
            .Raw("}");

    /// <summary>The URL's source and the commands, each its own step, in <c>"$R"</c>; with <paramref name="status"/>, a failure is kept there and the rest skipped.</summary>
    private static void AddCommands(ScriptBuilder script, HoistConfig config, MigrateConfig migrate, string? status)
    {
        AddEnvValue(script)
            .Raw($"owner_url=$(env_value MIGRATE_DATABASE_URL {DeployPaths.Root}/.env.migrate)")
            .Raw($"app_url=$(env_value DATABASE_URL {DeployPaths.Shared}/.env)")
            .Raw("if [ -n \"$owner_url\" ]; then url_from='the owner role (.env.migrate)'; elif [ -n \"$app_url\" ]; then url_from='shared/.env (no .env.migrate)'; else url_from='the environment (neither .env.migrate nor shared/.env has one)'; fi")
            .Raw("echo \"migrate: as $(id -un) in $R; DATABASE_URL from $url_from\"")
            .Raw("export HOIST_RELEASE=\"$(basename \"$R\")\" HOIST_REVISION=\"$(cat \"$R\"/REVISION 2>/dev/null || true)\" HOIST_RELEASE_PATH=\"$R\" HOIST_DEPLOY_TO=\"$D\"");
        AppSecretsScript.Export(script, config, defineReader: false);
        foreach (var command in migrate.Commands)
        {
            if (status is not null)
            {
                script.Raw($"if [ \"${status}\" -eq 0 ]; then");
            }

            script.Step("migrate: " + command)
                .Raw("(")
                .Raw("set +e +u +o pipefail")
                .Raw("cd \"$R\"");
            foreach (var variable in config.Env)
            {
                script.Line(ShellCommand.Raw("export"), new AssignmentPart(variable.Name, variable.Value));
            }

            // The owner's URL wins over the config's env; the app's shared/.env only fills in a DATABASE_URL not set.
            script.Raw("if [ -n \"$owner_url\" ]; then export DATABASE_URL=\"$owner_url\"; elif [ -z \"${DATABASE_URL:-}\" ] && [ -n \"$app_url\" ]; then export DATABASE_URL=\"$app_url\"; fi")
                .Line(ShellCommand.Raw("eval"), command)
                .Raw(status is null ? ")" : $") || {status}=$?");
            if (status is not null)
            {
                script.Raw("fi");
            }
        }
    }
}
