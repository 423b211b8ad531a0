namespace Hoist.Status;

using Hoist.Config;
using Hoist.Deploy;
using Hoist.Setup;
using Hoist.Shell;

/// <summary>
/// The one script <c>hoist status</c> runs on a host: the live release and its revision, the audit log's last lines
/// (who deployed it, when), the unit's state, hoist serve's own status (as the app user, through the host's hoist),
/// and one health request through nginx. It reports and changes nothing; every part runs whatever the others did.
/// </summary>
internal static class StatusScript
{
    /// <summary>At most this many bytes of hoist serve's status come back: a worker's failure quotes its last lines, not its log.</summary>
    public const int MaxServeBytes = 256 * 1024;

    /// <summary>The audit log's last lines that come back, each cut to 1000 bytes; the live release's line is among the last few.</summary>
    public const int AuditLines = 50;

    public static Script Build(HoistConfig config)
    {
        var script = HostSecrets.Report(new ScriptBuilder("status").Line(DeployPaths.AssignRoot(config.DeployTo)), config)
            .Raw("set +e")
            .Raw($"if [ -L {DeployPaths.Current} ]; then l=$(readlink {DeployPaths.Current}); l=${{l%/}}; c=${{l##*/}}; {HostStatusReport.CurrentKey.EchoText("$c")}")
            // Only a name that may be a release id is looked up: a hostile link target never becomes a path here.
            .Raw("  case \"$c\" in ''|*[!0-9-]*) ;; *) if [ -f \"$D/releases/$c/REVISION\" ]; then rev=; IFS= read -r -n 256 rev < \"$D/releases/$c/REVISION\"; " +
                HostStatusReport.RevisionKey.EchoText("$rev") + "; fi ;; esac")
            .Raw("fi")
            .Line(ShellCommand.Raw($"if [ -f {DeployPaths.Audit} ]; then tail -n {AuditLines} {DeployPaths.Audit} | cut -c 1-1000 | sed"),
                "s/^/" + HostStatusReport.AuditKey.LineStart + "/", ShellCommand.Raw("; fi"));
        if (config.Setup is { } setup)
        {
            var unit = ShellQuote.Quote(config.App + ".service");
            script.Raw($"if [ -d /run/systemd/system ]; then u=$(systemctl is-active {unit} 2>/dev/null); {HostStatusReport.UnitKey.EchoText("${u:-unknown}")}; fi");
            if (config.Serve is not null)
            {
                // The host's hoist asks its own server (the one client that checks the listener's owner), as the app user.
                script.Raw(SetupScripts.AsFunctions(config))
                    .Line(ShellCommand.Raw("s=$(as_app"), setup.HoistPath, "serve", "--ini", SetupScripts.ServeIni(config.DeployTo),
                        ShellCommand.Raw("--status --json 2>&1); se=$?"))
                    .Raw(HostStatusReport.ServeExitKey.EchoText("$se"))
                    .Raw(HostStatusReport.ServeKey.EchoText($"$(printf '%s' \"$s\" | head -c {MaxServeBytes} | base64 -w 0)"));
            }
        }

        if (config.Deploy.HealthUrl is { } path)
        {
            script.Line(HealthScript.AskOnce(config, path, "h"))
                .Raw(HostStatusReport.HealthKey.EchoText("$h"));
        }

        return script.Raw("exit 0").Build();
    }
}
