namespace Hoist.Deploy;

using Hoist.Config;
using Hoist.Shell;

/// <summary>
/// The health gate after a reload: <c>deploy.health_url</c> asked of nginx on the host itself until it answers 2xx or
/// <c>deploy.health_timeout</c> runs out. Spoken over bash's <c>/dev/tcp</c>, since a bare Debian host has no curl.
/// </summary>
internal static class HealthScript
{
    /// <summary>How long one request may take: a hung app must not use the whole timeout in one try.</summary>
    private const int RequestSeconds = 5;

    /// <summary>
    /// When <paramref name="statusVariable"/> is 0, sets it to 1 and reports <c>health=failed</c> unless the URL answered 2xx in time
    /// (then <c>health=ok</c>); with no health_url, nothing. Shows the app's last lines when it failed.
    /// </summary>
    public static void Add(ScriptBuilder script, HoistConfig config, string statusVariable)
    {
        if (config.Deploy.HealthUrl is not { } path)
        {
            return;
        }

        var nginx = config.Setup?.Nginx;
        var port = nginx?.Listen ?? 80;
        var name = nginx?.FirstHostName ?? "localhost";
        // Only a reload that succeeded is asked: a failed one has already decided.
        script.Raw($"if [ \"${statusVariable}\" = 0 ]; then")
            .Step("health " + path)
            .Raw($"health_deadline=$((SECONDS + {config.Deploy.HealthTimeoutSeconds}))")
            .Raw("while :; do")
            .Line(AskOnce(config, path, "  health_answer"))
            .Raw("  case \"$health_answer\" in HTTP/*' '2[0-9][0-9]|HTTP/*' '2[0-9][0-9]' '*) break ;; esac")
            .Raw("  if [ \"$SECONDS\" -ge \"$health_deadline\" ]; then break; fi")
            .Raw("  sleep 0.2")
            .Raw("done")
            .Raw($"case \"$health_answer\" in HTTP/*' '2[0-9][0-9]|HTTP/*' '2[0-9][0-9]' '*) health={SwitchReport.HealthOk} ;; *) health={SwitchReport.HealthFailed} ;; esac")
            .Report(SwitchReport.HealthKey, "$health")
            .Raw($"if [ \"$health\" = {SwitchReport.HealthFailed} ]; then")
            .Line(ShellCommand.Raw("  printf"), $"health check: http://%s:{port}%s through nginx on this host answered '%s' (2xx wanted) within {config.Deploy.HealthTimeoutSeconds} s\\n",
                name, path, ShellCommand.Raw("\"${health_answer:-nothing}\" >&2"))
            .Raw($"  {statusVariable}=1");
        AddAppLines(script, config);
        script.Raw("fi").Raw("fi");
    }

    /// <summary>
    /// <c>VARIABLE=$(timeout 5 bash -c ...)</c>: one request for <paramref name="path"/> to nginx on the host itself, the
    /// answer's status line (or empty) in the variable. <paramref name="variable"/> may start with spaces (indentation).
    /// </summary>
    public static ShellCommand AskOnce(HoistConfig config, string path, string variable)
    {
        var nginx = config.Setup?.Nginx;
        var port = nginx?.Listen ?? 80;
        var name = nginx?.FirstHostName ?? "localhost";
        // The request is a fixed text with two quoted words in it; the status line is all that is read back.
        const string Ask = "exec 3<>\"/dev/tcp/127.0.0.1/$0\" || exit 1; printf \"GET %s HTTP/1.0\\r\\nHost: %s\\r\\nUser-Agent: hoist-health\\r\\n\\r\\n\" \"$1\" \"$2\" >&3; head -n 1 <&3 | tr -d \"\\r\"";
        var bare = variable.TrimStart();
        return new ShellCommand(ShellCommand.Raw($"{variable}=$(timeout"), RequestSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "bash", "-c", Ask,
            port.ToString(System.Globalization.CultureInfo.InvariantCulture), path, name, ShellCommand.Raw($"2>/dev/null) || {bare}="));
    }

    /// <summary>The service's last lines (hoist setup's unit), so the failure names the app's own words.</summary>
    private static void AddAppLines(ScriptBuilder script, HoistConfig config)
    {
        if (config.Setup is null)
        {
            return;
        }

        var unit = ShellQuote.Quote(config.App + ".service");
        script.Raw("  if [ -d /run/systemd/system ]; then")
            .Raw("    echo 'the app'\"'\"'s last lines:' >&2")
            .Raw($"    {{ if [ \"$(id -u)\" = 0 ]; then journalctl -u {unit} -n 10 --no-pager -o cat; else sudo -n journalctl -u {unit} -n 10 --no-pager -o cat; fi; }} 2>/dev/null | sed 's/^/  /' >&2 || true")
            .Raw("  fi");
    }
}
