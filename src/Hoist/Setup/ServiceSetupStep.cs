namespace Hoist.Setup;

using Hoist.Config;
using Hoist.Deploy;
using Hoist.Serve.Config;
using Hoist.Shell;

/// <summary>
/// hoist serve kept running on a web host: a systemd unit where systemd runs (verified, enabled, started), else a
/// daemon with a pidfile; restarted for new settings, reloaded for a new .env, left alone otherwise.
/// </summary>
internal static class ServiceSetupStep
{
    /// <summary>
    /// What the service needs, checked first thing in the web script so that a host that cannot have it is left as it
    /// was: setup.service: systemd on a host where systemd does not run.
    /// </summary>
    public static void AddPrecheck(ScriptBuilder script, HoistConfig config)
    {
        script.Raw($"mode={config.Setup!.Service.ToString().ToLowerInvariant()}")
            .Raw("""
                if [ "$mode" = systemd ] && [ ! -d /run/systemd/system ]; then
                  fail "setup.service is systemd, but systemd does not run on this host (no /run/systemd/system), so nothing was changed here; set setup.service to auto (a daemon where systemd does not run) or direct in hoist.yml, or boot the host with systemd"
                fi
                """);
    }

    public static void Add(ScriptBuilder script, HoistConfig config)
    {
        var setup = config.Setup!;
        var ini = SetupScripts.ServeIni(config.DeployTo);
        script.Line(SetupScripts.Set("unit", SystemdUnit.Render(config.App, setup.User, setup.HoistPath, ini, config.DeployTo.TrimEnd('/'), config.Serve!)))
            .Line(SetupScripts.Set("unit_file", $"/etc/systemd/system/{config.App}.service"))
            .Line(SetupScripts.Set("unit_name", $"{config.App}.service"))
            .Line(SetupScripts.Set("serve_ini", ini))
            .Raw("as_root() { \"$@\"; }")
            .Raw(UnitScript.Functions)
            .Raw("""
                systemd=0
                if [ -d /run/systemd/system ]; then systemd=1; fi
                if [ "$mode" = direct ]; then systemd=0; fi
                serve() { runuser -u "$U" -- "$hoist" serve --ini "$serve_ini" "$@"; }
                if [ "$systemd" = 1 ]; then
                  if [ "$DRY" != 1 ]; then
                    check=$(mktemp -d); printf '%s' "$unit" >"$check/$unit_name"
                    verified=$(systemd-analyze verify "$check/$unit_name" 2>&1) || { rm -rf "$check"; echo "$verified" >&2; fail "systemd-analyze verify refused the unit for hoist serve"; }
                    rm -rf "$check"
                  fi
                  if put_file "$unit_file" "$unit_file" 644 root root "$unit" 0; then restart=1; [ "$DRY" = 1 ] || systemctl daemon-reload; fi
                  if ! systemctl is-enabled -q "$unit_name"; then [ "$DRY" = 1 ] && item "service enabled" would-change || { systemctl enable -q "$unit_name"; item "service enabled" changed; }; else item "service enabled" ok; fi
                  if [ ! -e "$D/current" ]; then item "service (starts at the first deploy)" ok
                  elif ! systemctl is-active -q "$unit_name"; then [ "$DRY" = 1 ] && item "service running" would-change || { unit_do start "$unit_name" "$hoist" "$serve_ini" "$D/shared/.env" || fail "$unit_name did not start on $(hostname): see its status and journal above"; item "service running" changed; }
                  elif [ "$restart" = 1 ]; then [ "$DRY" = 1 ] && item "service restart (new settings)" would-change || { unit_do restart "$unit_name" "$hoist" "$serve_ini" "$D/shared/.env" || fail "$unit_name did not restart on $(hostname): see its status and journal above"; item "service restarted (new settings)" changed; }
                  elif [ "$reload" = 1 ]; then [ "$DRY" = 1 ] && item "service reload (new .env)" would-change || { unit_do reload "$unit_name" "$hoist" "$serve_ini" "$D/shared/.env" || fail "$unit_name did not reload on $(hostname): see its status and journal above"; item "service reloaded (new .env)" changed; }
                  else item "service running" ok; fi
                elif [ ! -e "$D/current" ]; then
                  item "hoist serve (starts at the first deploy)" ok
                elif serve --status >/dev/null 2>&1; then
                  # New settings need a new hoist serve (a reload replaces workers, not the server); a new .env, new workers.
                  # --stop returns once the old one has drained and exited: a --daemon while it still stops would fail.
                  if [ "$restart" = 1 ]; then [ "$DRY" = 1 ] && item "hoist serve restart (new settings)" would-change || { serve --stop >/dev/null || fail "the running hoist serve on $(hostname) did not stop, so the new settings cannot take effect: see the error above"; serve --daemon || fail "hoist serve did not start again on $(hostname)"; item "hoist serve restarted (new settings)" changed; }
                  elif [ "$reload" = 1 ]; then [ "$DRY" = 1 ] && item "hoist serve reload (new .env)" would-change || { serve --reload >/dev/null || fail "hoist serve --reload failed"; item "hoist serve reloaded (new .env)" changed; }
                  else item "hoist serve running" ok; fi
                elif [ "$DRY" = 1 ]; then item "hoist serve running" would-change
                else serve --daemon || fail "hoist serve did not start"; item "hoist serve running" changed
                fi
                """);
    }
}
