namespace Hoist.Setup;

using Hoist.Config;
using Hoist.Deploy;
using Hoist.Serve.Config;
using Hoist.Shell;

/// <summary>
/// The nginx site on a web host: written, linked and the default site removed, then tested with nginx -t; a site
/// nginx refuses is taken back (the running nginx never saw it). Then nginx running, reloaded only if needed.
/// </summary>
internal static class NginxSetupStep
{
    public static void Add(ScriptBuilder script, HoistConfig config, NginxSetup nginx, ServeConfig serve)
    {
        var tls = TlsRole.AtWeb(config) ? config.Setup!.Tls : null;
        string Render(bool live) => NginxSite.Render(config.App, config.DeployTo.TrimEnd('/'), nginx, serve.Listen, LbSite.Addresses(config), tls, live, TlsRole.AtLb(config));
        var (site, link) = (SetupScripts.SiteFile(config.App), $"/etc/nginx/sites-enabled/{config.App}");
        if (tls is null)
        {
            AddCheckedWrite(script, site, link, Render(live: false), nginx.RemoveDefaultSite);
        }
        else
        {
            TlsSetupStep.Choose(script, config.App, Render(live: false), Render(live: true));
            TlsSetupStep.Add(script, config, tls, site, link, nginx.Listen);
            script.Raw(TlsSetupStep.Pick);
            AddCheckedWrite(script, site, link, null, nginx.RemoveDefaultSite);
        }

        script.Raw(Running);
    }

    /// <summary>
    /// The checked, atomic write of one nginx site (the web hosts' and the lb's): the file replaced by rename, linked,
    /// the default site removed if asked, then nginx -t; when nginx refuses it, sites-available and sites-enabled are
    /// put back as they were, so the running nginx (and its next reload) never sees it. Sets nginx_reload=1 when it
    /// changed something; items say ok, changed or would-change.
    /// </summary>
    /// <param name="conf">The site's text; null when the script has set $conf itself (<see cref="TlsSetupStep.Choose"/>).</param>
    public static void AddCheckedWrite(ScriptBuilder script, string site, string link, string? conf, bool removeDefault)
    {
        AddUpgradeMap(script);
        script.Line(SetupScripts.Set("site", site))
            .Line(SetupScripts.Set("link", link));
        if (conf is not null)
        {
            script.Line(SetupScripts.Set("conf", conf));
        }

        script.Raw($"remove_default={(removeDefault ? 1 : 0)}")
            .Raw("""
                need=0
                same_file "$site" "$conf" 644 root root || need=1
                [ "$(readlink -- "$link" 2>/dev/null)" = "$site" ] || need=1
                if [ "$remove_default" = 1 ] && { [ -e /etc/nginx/sites-enabled/default ] || [ -L /etc/nginx/sites-enabled/default ]; }; then need=1; fi
                nginx_reload=0
                if [ "$need" = 0 ]; then
                  item "nginx site $site" ok
                elif [ "$DRY" = 1 ]; then
                  show_change "$site" "$conf" 0; item "nginx site $site" would-change
                else
                  backup=$(mktemp -d)
                  cp -a /etc/nginx/sites-available /etc/nginx/sites-enabled "$backup"/
                  printf '%s' "$conf" >"$site.hoist-new"; chmod 644 "$site.hoist-new"; chown root:root "$site.hoist-new"; mv -f "$site.hoist-new" "$site"
                  ln -sfn "$site" "$link"
                  if [ "$remove_default" = 1 ]; then rm -f /etc/nginx/sites-enabled/default; fi
                  if ! tested=$(nginx -t 2>&1); then
                    rm -rf /etc/nginx/sites-available /etc/nginx/sites-enabled
                    cp -a "$backup"/sites-available "$backup"/sites-enabled /etc/nginx/
                    rm -rf "$backup"
                    echo "$tested" >&2
                    fail "nginx -t refused the new site $site, so it was not put in place: the previous configuration is back and nginx keeps serving it. Fix setup.nginx in hoist.yml"
                  fi
                  rm -rf "$backup"; item "nginx site $site" changed; nginx_reload=1
                fi
                if [ "$map_changed" = 1 ]; then nginx_reload=1; fi
                """);
    }

    /// <summary>
    /// The map the sites' WebSocket lines use (<see cref="NginxUpgradeMap"/>), written before the site that needs it and
    /// checked with nginx -t; refused, the previous file (or none) is put back. Sets map_changed=1 when it wrote it.
    /// </summary>
    private static void AddUpgradeMap(ScriptBuilder script)
    {
        script.Line(SetupScripts.Set("map_file", NginxUpgradeMap.File))
            .Line(SetupScripts.Set("map_conf", NginxUpgradeMap.Conf))
            .Raw("""
                map_changed=0
                if same_file "$map_file" "$map_conf" 644 root root; then
                  item "nginx map $map_file" ok
                elif [ "$DRY" = 1 ]; then
                  show_change "$map_file" "$map_conf" 0; item "nginx map $map_file" would-change
                else
                  mkdir -p /etc/nginx/conf.d
                  map_old=$(mktemp); map_had=0
                  if [ -f "$map_file" ]; then cp -a "$map_file" "$map_old"; map_had=1; fi
                  printf '%s' "$map_conf" >"$map_file.hoist-new"; chmod 644 "$map_file.hoist-new"; chown root:root "$map_file.hoist-new"; mv -f "$map_file.hoist-new" "$map_file"
                  if ! tested=$(nginx -t 2>&1); then
                    if [ "$map_had" = 1 ]; then mv -f "$map_old" "$map_file"; else rm -f "$map_file" "$map_old"; fi
                    echo "$tested" >&2
                    fail "nginx -t refused $map_file (Hoist's map for WebSockets), so it was not put in place; does /etc/nginx/nginx.conf still include conf.d/*.conf in its http block, and does another file define \$hoist_connection_upgrade?"
                  fi
                  rm -f "$map_old"; item "nginx map $map_file" changed; map_changed=1
                fi
                """);
    }

    /// <summary>nginx running afterwards (started if not), reloaded when the site changed.</summary>
    public const string Running = """
        if [ -d /run/systemd/system ]; then
          if ! systemctl is-active -q nginx; then [ "$DRY" = 1 ] && item "nginx running" would-change || { systemctl start nginx || fail "nginx did not start"; item "nginx running" changed; }
          elif [ "$nginx_reload" = 1 ]; then systemctl reload nginx || fail "nginx did not reload"; item "nginx reloaded" changed
          else item "nginx running" ok; fi
        elif ! command -v nginx >/dev/null; then
          [ "$DRY" = 1 ] || fail "nginx is missing although it was installed"
          item "nginx running" would-change
        elif nginx_pid=$(nginx -T 2>/dev/null | awk '$1 == "pid" && !found { sub(";", "", $2); print $2; found = 1 }') \
          && [ -n "$nginx_pid" ] && [ -s "$nginx_pid" ] && kill -0 "$(cat "$nginx_pid")" 2>/dev/null; then
          if [ "$nginx_reload" = 1 ]; then nginx -s reload || fail "nginx did not reload"; item "nginx reloaded" changed; else item "nginx running" ok; fi
        elif [ "$DRY" = 1 ]; then item "nginx running" would-change
        else nginx || fail "nginx did not start"; item "nginx running" changed
        fi
        """;
}
