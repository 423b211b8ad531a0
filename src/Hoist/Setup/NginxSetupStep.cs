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
