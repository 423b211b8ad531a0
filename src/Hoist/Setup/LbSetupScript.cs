namespace Hoist.Setup;

using Hoist.Config;
using Hoist.Shell;

/// <summary>
/// An lb host's script: nginx installed (setup only), the lb site written with the web hosts' checked, atomic write
/// (<see cref="NginxSetupStep.AddCheckedWrite"/>), nginx started or gracefully reloaded, and, after a reload, a wait
/// until nginx's workers are the new ones: from then on no new request follows the old upstream, while the old
/// workers finish the requests they hold. Run with the same upstream twice, it changes nothing the second time.
/// </summary>
internal static class LbSetupScript
{
    /// <summary>How long the script waits for nginx's new workers after a reload before it fails.</summary>
    public const int ReloadWaitTenths = 100;

    /// <summary>hoist setup's script for an lb host: packages, then the site with every web host in the upstream.</summary>
    public static Script Build(HoistConfig config, IReadOnlyList<string> packages, bool dryRun)
    {
        var script = SetupScripts.Start("setup-lb", dryRun)
            .Line(SetupScripts.Call("packages", ["nginx", .. config.Setup!.Tls is null ? Array.Empty<string>() : [TlsSetupStep.Package], .. packages]));
        AddSite(script, config, [], issue: true);
        return script.Build() with { AsRoot = true };
    }

    /// <summary>What the drain's scripts report for each web host the site had down before they wrote it (its server address).</summary>
    public static readonly ReportKey WasDownKey = new("lb_was_down");

    /// <summary>The site with <paramref name="drained"/> (host keys) down, checked, put in place and live (the drain's script).</summary>
    public static Script Upstream(string name, HoistConfig config, IReadOnlyCollection<string> drained)
    {
        var script = SetupScripts.Start(name, dryRun: false)
            .Raw("command -v nginx >/dev/null || fail \"nginx is not installed on $(hostname), an lb host: run hoist setup first\"");
        ReportDown(script, LbSite.File(config.App));
        AddSite(script, config, drained, issue: false);
        return script.Build() with { AsRoot = true };
    }

    /// <summary>The web hosts <paramref name="run"/> found down in the site before it wrote it (an earlier run's drain, when it is the run's first).</summary>
    public static IReadOnlyList<HostConfig> WasDown(HoistConfig config, Remote.HostRun run)
    {
        var servers = WasDownKey.All(run).ToHashSet(StringComparer.Ordinal);
        return [.. LbRole.Web(config).Where(w => servers.Contains(LbSite.Server(config, w)))];
    }

    /// <summary>Reports each server the site has down (<see cref="WasDownKey"/>), before it is written anew.</summary>
    public static void ReportDown(ScriptBuilder script, string site) =>
        script.Raw($"if [ -f {ShellQuote.Quote(site)} ]; then awk '$1 == \"server\" && $NF == \"down;\" {{ print $2 }}' {ShellQuote.Quote(site)} | " +
            $"while IFS= read -r lb_down; do {WasDownKey.EchoText("$lb_down")}; done; fi");

    /// <param name="issue">setup's run: with setup.tls, the certificate obtained first when the host lacks a good one.</param>
    private static void AddSite(ScriptBuilder script, HoistConfig config, IReadOnlyCollection<string> drained, bool issue)
    {
        var nginx = config.Setup!.Nginx;
        var (site, link) = (LbSite.File(config.App), LbSite.Link(config.App));
        if (config.Setup.Tls is not { } tls)
        {
            NginxSetupStep.AddCheckedWrite(script, site, link, LbSite.Render(config, drained), nginx.RemoveDefaultSite);
        }
        else
        {
            TlsSetupStep.Choose(script, config.App, LbSite.Render(config, drained), LbSite.Render(config, drained, live: true));
            if (issue)
            {
                TlsSetupStep.Add(script, config, tls, site, link, nginx.Listen);
                script.Raw(TlsSetupStep.Pick);
            }

            NginxSetupStep.AddCheckedWrite(script, site, link, null, nginx.RemoveDefaultSite);
        }

        script.Raw("""
                # nginx's worker processes (not those shutting down after a reload), children of the pid its config names.
                lb_pid_file=$(nginx -T 2>/dev/null | awk '$1 == "pid" && !found { sub(";", "", $2); print $2; found = 1 }')
                lb_workers() {
                  local master
                  master=$(cat "${lb_pid_file:-/run/nginx.pid}" 2>/dev/null) || return 0
                  ps -o pid=,args= --ppid "$master" 2>/dev/null | awk '/worker process$/ { print $1 }'
                }
                old_workers=" $(lb_workers | tr '\n' ' ') "
                """)
            .Raw(NginxSetupStep.Running)
            .Raw($"wait_tenths={ReloadWaitTenths}")
            .Raw("""
                if [ "$nginx_reload" = 1 ]; then
                  live=0
                  for _ in $(seq "$wait_tenths"); do
                    now=$(lb_workers)
                    if [ -n "$now" ]; then live=1; for w in $now; do case "$old_workers" in *" $w "*) live=0 ;; esac; done; fi
                    [ "$live" = 1 ] && break
                    sleep 0.1
                  done
                  [ "$live" = 1 ] || fail "nginx on $(hostname) still had its old workers $((wait_tenths / 10)) s after the reload: the new upstream is written but may not be serving yet"
                fi
                """);
    }
}
