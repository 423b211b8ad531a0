namespace Hoist.Run;

using System.Text.RegularExpressions;
using Hoist.Config;
using Hoist.Deploy;
using Hoist.Shell;

/// <summary>
/// <c>hoist run</c>'s two scripts and its one command line. The stage script, run as the login user with its text on
/// stdin as every script is, writes the app script into a private temp file of the app user's (0600, made by mktemp as
/// that user); the command line then starts that file as the app user, on a channel of its own whose stdin is the
/// user's (a terminal, or a pipe). The app script removes its file first thing, so secrets (the config's env, the
/// owner's URL) are on disk only between the two, readable by the app user alone, and never in an argv.
/// </summary>
internal static partial class RunScripts
{
    /// <summary>The app's Unix user: <c>setup.user</c>, which defaults to the app's name.</summary>
    public static string User(HoistConfig config) => config.Setup?.User ?? config.App;

    /// <summary>What the app user runs (<c>bash FILE</c>): in <c>current</c>, with shared/.env, env: and HOIST_* exported, then CMD.</summary>
    /// <param name="owner">--owner: DATABASE_URL is the owner role's, which the stage script puts first in the file as <c>owner_url</c>.</param>
    public static Script App(HoistConfig config, string command, bool owner)
    {
        var script = new ScriptBuilder("run")
            // bash keeps the file open, so it reads the rest after it is gone.
            .Raw("rm -f -- \"$0\"")
            // A mark every process of the run inherits: a Ctrl-C's stop script finds them by it once this bash is
            // gone (through sudo, sshd's signal kills sudo, which passes it on to this bash alone).
            .Raw($"export {RunMark}=\"$0\"")
            .Line(DeployPaths.AssignRoot(config.DeployTo))
            .Raw($"cd {DeployPaths.Current}")
            // shared/.env read as hoist serve's workers read it (Serve/Config/EnvFile.cs): NAME=value, an optional
            // `export `, one pair of enclosing quotes removed, nothing expanded; exported by a builtin, in no argv.
            .Raw($"hoist_env={DeployPaths.Shared}/.env; hoist_n=0; hoist_re='^(export +)?([A-Za-z_][A-Za-z0-9_]*) *= *(.*)$'")
            .Raw("if [ -f \"$hoist_env\" ]; then")
            .Raw("  while IFS= read -r hoist_l || [ -n \"$hoist_l\" ]; do")
            .Raw("    hoist_n=$((hoist_n + 1)); hoist_l=${hoist_l%$'\\r'}; hoist_l=${hoist_l#\"${hoist_l%%[![:space:]]*}\"}; hoist_l=${hoist_l%\"${hoist_l##*[![:space:]]}\"}")
            .Raw("    case $hoist_l in '' | '#'*) continue ;; esac")
            .Raw("    if [[ $hoist_l =~ $hoist_re ]]; then")
            .Raw("      hoist_v=${BASH_REMATCH[3]}")
            .Raw("      if [ ${#hoist_v} -ge 2 ] && { [[ $hoist_v == \\\"*\\\" ]] || [[ $hoist_v == \\'*\\' ]]; }; then hoist_v=${hoist_v:1:${#hoist_v}-2}; fi")
            .Raw("      export \"${BASH_REMATCH[2]}=$hoist_v\"")
            .Raw("    else echo \"hoist run: $hoist_env:$hoist_n is not a NAME=value line; skipped\" >&2; fi")
            .Raw("  done < \"$hoist_env\"")
            .Raw("fi")
            .Raw("unset hoist_env hoist_n hoist_re hoist_l hoist_v");
        foreach (var variable in config.Env)
        {
            script.Line(ShellCommand.Raw("export"), new AssignmentPart(variable.Name, variable.Value));
        }

        script.Line(ShellCommand.Raw("export"), new AssignmentPart("HOIST_APP", ShellValue.Plain(config.App)),
                ShellCommand.Raw("HOIST_RELEASE=\"$(basename \"$(readlink -f .)\")\" HOIST_DEPLOY_TO=\"$D\""))
            .Raw("export HOIST_RELEASE_PATH=\"$(readlink -f .)\" HOIST_REVISION=\"$(cat REVISION 2>/dev/null || true)\"");
        if (config.Python is { Venv: true })
        {
            // As an activated venv: `hoist run -- flask ...` is the release's venv/bin/flask (what pip installed there),
            // as the workers run its python, not the host's /usr/bin one.
            script.Raw($"export VIRTUAL_ENV=\"$HOIST_RELEASE_PATH\"/{PythonConfig.VenvFolder} PATH=\"$HOIST_RELEASE_PATH\"/{PythonConfig.VenvFolder}/bin:\"$PATH\"");
        }

        if (owner)
        {
            script.Raw("export DATABASE_URL=\"$owner_url\"; unset owner_url");
        }

        // Plain shell rules for the user's command; its status (128 + N when signal N killed it) is the script's.
        return script.Raw("set +e +u +o pipefail")
            .Line(ShellCommand.Raw("eval"), command)
            .Build();
    }

    /// <summary>The stage script: checks the user and the release, reads the owner's URL (--owner), writes the app script's file.</summary>
    public static Script Stage(HoistConfig config, string command, bool owner)
    {
        var user = User(config);
        var script = new ScriptBuilder("run-stage")
            .Line(DeployPaths.AssignRoot(config.DeployTo))
            .Line(new AssignmentPart("U", ShellValue.Plain(user)))
            .Raw($"fail() {{ printf '%s\\n' {ShellQuote.Quote(RunReport.ErrorKey.LineStart)}\"$1\"; exit 1; }}")
            .Raw("id -u \"$U\" >/dev/null 2>&1 || fail \"$(hostname) has no user $U (setup.user) yet: run hoist setup first\"")
            .Raw($"[ -d {DeployPaths.Current} ] || fail \"nothing is deployed on $(hostname) yet ($D/current does not exist): run hoist deploy first\"")
            // As hoist setup switches (SetupScripts' as_app), but setpriv rather than runuser: runuser -u starts the
            // command in a session of its own, without the pty as its terminal (no `tty`, no ^C).
            .Raw("if [ \"$(id -u)\" = 0 ]; then via=setpriv; as_app() { setpriv --reuid=\"$(id -u \"$U\")\" --regid=\"$(id -g \"$U\")\" --init-groups --reset-env -- \"$@\"; }")
            .Raw("else via=sudo; as_app() { sudo -n -u \"$U\" -- \"$@\"; }; fi");
        if (owner)
        {
            MigrateScript.AddEnvValue(script)
                .Raw($"owner_url=$(env_value MIGRATE_DATABASE_URL {DeployPaths.Root}/.env.migrate)")
                .Raw("[ -n \"$owner_url\" ] || fail \"--owner: $D/.env.migrate on $(hostname) has no MIGRATE_DATABASE_URL that $(id -un) can read; hoist setup writes it when setup.database is set\"");
        }

        // A file left by a hoist killed between the two channels is the app user's own, and goes within the hour.
        script.Raw($"as_app find /tmp -maxdepth 1 -name '{FileName}.*' -user \"$U\" -mmin +60 -delete 2>/dev/null || true")
            .Raw($"f=$(as_app mktemp /tmp/{FileName}.XXXXXXXXXX 2>&1) || fail \"cannot become $U on $(hostname) ($f): hoist run needs to log in as root, or as a user with passwordless sudo to $U\"")
            .Line(ShellCommand.Raw("{"), ShellCommand.Raw(owner ? "printf 'owner_url=%q\\n' \"$owner_url\"; printf '%s'" : "printf '%s'"),
                new ScriptPart(App(config, command, owner)), ShellCommand.Raw("; } | as_app tee -- \"$f\" >/dev/null || { as_app rm -f -- \"$f\"; fail \"cannot write $f as $U on $(hostname)\"; }"))
            .Report(RunReport.UidKey, "$(id -u \"$U\")")
            .Report(RunReport.GidKey, "$(id -g \"$U\")")
            .Report(RunReport.ViaKey, "$via")
            .Report(RunReport.FileKey, "$f");
        return script.Build();
    }

    /// <summary>The command line that starts the app script as the app user (no secret in it: a path and the user's ids).</summary>
    /// <exception cref="FormatException">The stage script reported something else than it writes.</exception>
    public static string Attach(RunReport report, string user)
    {
        if (report.File is not { } file || !TempFile().IsMatch(file))
        {
            throw new FormatException($"the host reported '{report.File}' as the script's file, not a /tmp/{FileName}.* of mktemp's");
        }

        return report.Via switch
        {
            "setpriv" when IsId(report.Uid) && IsId(report.Gid) =>
                $"setpriv --reuid={report.Uid} --regid={report.Gid} --init-groups --reset-env -- bash {ShellQuote.Quote(file)}",
            "sudo" => $"sudo -n -u {ShellQuote.Quote(user)} -- bash {ShellQuote.Quote(file)}",
            _ => throw new FormatException($"the host reported no way to become {user} (via '{report.Via}', uid '{report.Uid}', gid '{report.Gid}')"),
        };
    }

    /// <summary>
    /// The script that ends what an interrupted run left on the host: the process groups of the app script
    /// (<c>bash FILE</c>) and of every process that carries its mark (<see cref="RunMark"/>) get SIGTERM, and SIGKILL
    /// after 5 s. Needed because a command without a pty outlives its channel: no hangup reaches it, sshd honours no
    /// signal request for a root login, and through sudo the signal kills sudo and the app script, not their children.
    /// </summary>
    /// <param name="file">The app script's file, as <see cref="Attach"/> checked it.</param>
    public static Script Stop(HoistConfig config, string file) =>
        new ScriptBuilder("run-stop")
            .Line(new AssignmentPart("f", ShellValue.Plain(file)))
            .Line(new AssignmentPart("U", ShellValue.Plain(User(config))))
            // The app user's environ files are readable by root or by that user only: grep reads them as the latter.
            .Raw("if [ \"$(id -u)\" = 0 ]; then as_app() { \"$@\"; }; else as_app() { sudo -n -u \"$U\" -- \"$@\"; }; fi")
            // stat's third field after the command name (which may hold spaces and parentheses) is the process group.
            .Raw("group_of() { local s g; { s=$(< \"$1/stat\"); } 2>/dev/null || return 0; s=${s##*) }; read -r _ _ g _ <<< \"$s\"; [ \"${g:-0}\" -gt 1 ] && echo \"$g\"; true; }")
            // Found by argv (the file itself is gone) or by the mark: the group each leads, or is in without a pty.
            .Raw("run_groups() { local p a b g; for p in /proc/[0-9]*; do { IFS= read -r -d '' a && IFS= read -r -d '' b; } < \"$p/cmdline\" 2>/dev/null || continue; " +
                "[ \"$a\" = bash ] && [ \"$b\" = \"$f\" ] && group_of \"$p\"; done; " +
                $"for p in $(as_app grep -lsFxz -e \"{RunMark}=$f\" /proc/[0-9]*/environ 2>/dev/null); do group_of \"${{p%/environ}}\"; done; true; }}")
            .Raw("groups=$(run_groups | sort -un); [ -n \"$groups\" ] || exit 0")
            .Raw("for g in $groups; do as_app kill -TERM -- \"-$g\" 2>/dev/null || true; done")
            .Raw("for i in $(seq 50); do left=; for g in $groups; do as_app kill -0 -- \"-$g\" 2>/dev/null && left+=\" $g\"; done; [ -n \"$left\" ] || exit 0; sleep 0.1; done")
            .Raw("for g in $left; do as_app kill -KILL -- \"-$g\" 2>/dev/null || true; done")
            .Build();

    /// <summary>The variable the app script exports (its file's path): every process of the run inherits it.</summary>
    public const string RunMark = "HOIST_RUN";

    private const string FileName = "hoist-run";

    private static bool IsId(string? id) => id is { Length: > 0 and < 11 } && id.All(char.IsAsciiDigit);

    [GeneratedRegex("^/tmp/hoist-run\\.[A-Za-z0-9]{10}\\z")]
    private static partial Regex TempFile();
}
