namespace Hoist.Setup;

using System.Globalization;
using Hoist.Config;
using Hoist.Shell;

/// <summary>
/// setup.firewall's scripts, in two steps over two connections. <see cref="Apply"/> checks the host's rules
/// (<c>nft -c -f</c>), arms a rollback (a transient systemd timer that loads the table as it was), and loads them in
/// one transaction; the connection it runs on stays up, its packets being an established connection's. Then hoist
/// opens a new SSH connection to the host: only over it does <see cref="Confirm"/> stop the rollback and keep the
/// rules for the next boot. If no new connection gets through, the old table comes back by itself. With
/// setup.firewall off, <see cref="Remove"/> deletes hoist's table where an earlier setup left it.
/// </summary>
internal static class FirewallSetupStep
{
    /// <summary>What Apply reports when it loaded new rules that wait for <see cref="Confirm"/>.</summary>
    public static readonly ReportKey PendingKey = new("firewall_pending");

    public const string Item = "firewall (nftables, table inet hoist)";

    private const string Rollback = "hoist-firewall-rollback";

    /// <summary>
    /// How long the rules stand unconfirmed before the rollback: the new connection's timeout (ssh.connect_timeout),
    /// the rest of the script and a margin.
    /// </summary>
    public static int RollbackSeconds(HoistConfig config) => (int)Math.Ceiling(config.Ssh.ConnectTimeout.TotalSeconds) + 20;

    public static Script Apply(HoistConfig config, string rules, bool dryRun)
    {
        var script = SetupScripts.Start("setup-firewall", dryRun)
            .Line(SetupScripts.Call("packages", ["nftables"]))
            .Line(SetupScripts.Set("fw", FirewallUnit.Rules))
            .Line(SetupScripts.Set("fw_rules", rules))
            .Line(SetupScripts.Set("fw_unit_file", FirewallUnit.Path))
            .Line(SetupScripts.Set("fw_unit", FirewallUnit.Render()))
            .Line(SetupScripts.Set("fw_wait", RollbackSeconds(config).ToString(CultureInfo.InvariantCulture)))
            .Line(SetupScripts.Set("fw_app", config.App))
            .Raw(Functions)
            .Raw($$"""
                [ -d /run/systemd/system ] || fail "setup.firewall loads hoist's rules at boot with a systemd unit, and systemd does not run on $(hostname); set setup.firewall: false"
                if command -v nft >/dev/null && same_file "$fw" "$fw_rules" 644 root root && same_file "$fw_unit_file" "$fw_unit" 644 root root \
                  && systemctl is-enabled -q {{FirewallUnit.Name}} 2>/dev/null && [ -f /etc/hoist/firewall.loaded ] && [ "$(fw_live)" = "$(cat /etc/hoist/firewall.loaded)" ]; then
                  item "{{Item}}" ok
                elif [ "$DRY" = 1 ]; then
                  if same_file "$fw" "$fw_rules" 644 root root; then echo "would load $fw again: the live table inet hoist is not what it loaded"
                  else show_change "$fw" "$fw_rules" 0; fi
                  item "{{Item}}" would-change
                else
                  fw_by=$(fw_owner)
                  [ -z "$fw_by" ] || [ "$fw_by" = "$fw_app" ] || echo "note: these rules replace those the setup of $fw_by wrote (one table per host: the last setup's rules apply; give both apps the same hosts and ports)"
                  no_link /etc/hoist; mkdir -p /etc/hoist && chmod 755 /etc/hoist || fail "cannot make /etc/hoist"
                  no_link "$fw.new"; printf '%s' "$fw_rules" >"$fw.new" && chmod 644 "$fw.new" || fail "cannot write $fw.new"
                  nft -c -f "$fw.new" || { rm -f "$fw.new"; fail "nft -c -f $fw.new: the firewall rules for $(hostname) do not load (see above); nothing was changed"; }
                  # The table as it is now (none: an empty one deleted), loaded back by the timer unless hoist confirms.
                  { printf 'table inet hoist\ndelete table inet hoist\n'; fw_live || true; } >/etc/hoist/firewall.restore || fail "cannot write /etc/hoist/firewall.restore"
                  systemctl stop {{Rollback}}.timer 2>/dev/null || true; systemctl reset-failed {{Rollback}}.service {{Rollback}}.timer 2>/dev/null || true
                  systemd-run --quiet --unit={{Rollback}} --on-active="${fw_wait}s" --timer-property=AccuracySec=1s \
                    /usr/sbin/nft -f /etc/hoist/firewall.restore || fail "could not arm the firewall's rollback (systemd-run); nothing was changed"
                  nft -f "$fw.new" || { systemctl stop {{Rollback}}.timer; fail "nft -f $fw.new failed on $(hostname); the table was left as it was"; }
                  fw_live >/etc/hoist/firewall.applied
                  echo "rules loaded; they go back in $fw_wait s unless a new SSH connection gets through"
                  {{PendingKey.EchoViaPrefix("1")}}
                  item "{{Item}}" changed
                fi
                """);
        return script.Build() with { AsRoot = true };
    }

    /// <summary>Run over a new connection: the rollback stopped, the rules kept for the next boot by <see cref="FirewallUnit"/>.</summary>
    public static Script Confirm() =>
        SetupScripts.Start("setup-firewall-confirm", dryRun: false)
            .Line(SetupScripts.Set("fw", FirewallUnit.Rules))
            .Line(SetupScripts.Set("fw_unit_file", FirewallUnit.Path))
            .Line(SetupScripts.Set("fw_unit", FirewallUnit.Render()))
            .Raw(Functions)
            .Raw($$"""
                systemctl stop {{Rollback}}.timer 2>/dev/null || true
                # A rollback that had already begun finishes before the table is compared.
                for _ in $(seq 50); do systemctl is-active -q {{Rollback}}.service 2>/dev/null || break; sleep 0.1; done
                [ -f /etc/hoist/firewall.applied ] && [ "$(fw_live)" = "$(cat /etc/hoist/firewall.applied)" ] \
                  || fail "the firewall's rollback on $(hostname) ran before hoist could confirm its rules: the table inet hoist is back as it was"
                mv -f "$fw.new" "$fw" && mv -f /etc/hoist/firewall.applied /etc/hoist/firewall.loaded && rm -f /etc/hoist/firewall.restore || fail "cannot keep $fw"
                systemctl reset-failed {{Rollback}}.service {{Rollback}}.timer 2>/dev/null || true
                put_file "{{FirewallUnit.Name}}" "$fw_unit_file" 644 root root "$fw_unit" 0 && systemctl daemon-reload || true
                systemctl enable -q {{FirewallUnit.Name}} 2>/dev/null || fail "systemctl enable {{FirewallUnit.Name}} failed"
                # Active from now on (it loads the same file: the table is replaced by itself), as after a boot.
                systemctl restart {{FirewallUnit.Name}} || fail "{{FirewallUnit.Name}} did not load $fw"
                fw_live >/etc/hoist/firewall.loaded
                item "firewall kept (a new SSH connection got through)" changed
                """)
            .Build() with { AsRoot = true };

    /// <summary>
    /// setup.firewall off: hoist's table, unit and files gone where an earlier setup of this app left them; no item
    /// where there are none. A table another app's setup wrote (its rules file names the app) is left alone: one app
    /// without a firewall must not take down the firewall of another on the same host.
    /// </summary>
    public static Script Remove(string app, bool dryRun) =>
        SetupScripts.Start("setup-firewall-off", dryRun)
            .Line(SetupScripts.Set("fw_unit_file", FirewallUnit.Path))
            .Line(SetupScripts.Set("fw_app", app))
            .Raw(Functions)
            .Raw($$"""
                fw_by=$(fw_owner)
                if [ -n "$fw_by" ] && [ "$fw_by" != "$fw_app" ]; then
                  item "firewall left as it is (written by the setup of $fw_by; setup.firewall is false for $fw_app)" ok
                elif fw_live >/dev/null 2>&1 || [ -e "$fw_unit_file" ] || [ -e /etc/hoist/firewall.nft ]; then
                  if [ "$DRY" = 1 ]; then
                    echo "would delete the table inet hoist and {{FirewallUnit.Name}} (setup.firewall is false)"; item "firewall removed (setup.firewall is false)" would-change
                  else
                    systemctl stop {{Rollback}}.timer 2>/dev/null || true
                    if [ -e "$fw_unit_file" ]; then systemctl disable -q {{FirewallUnit.Name}} 2>/dev/null || true; rm -f "$fw_unit_file"; systemctl daemon-reload; fi
                    systemctl reset-failed {{FirewallUnit.Name}} {{Rollback}}.service {{Rollback}}.timer 2>/dev/null || true
                    if fw_live >/dev/null 2>&1; then nft delete table inet hoist || fail "nft delete table inet hoist failed on $(hostname)"; echo "deleted the table inet hoist"; fi
                    rm -f /etc/hoist/firewall.nft /etc/hoist/firewall.nft.new /etc/hoist/firewall.restore /etc/hoist/firewall.applied /etc/hoist/firewall.loaded
                    item "firewall removed (setup.firewall is false)" changed
                  fi
                fi
                """)
            .Build() with { AsRoot = true };

    /// <summary>The live table as nft lists it (nothing, and false, where there is none or no nft).</summary>
    private const string Functions = """
        fw_live() { command -v nft >/dev/null && nft list table inet hoist 2>/dev/null; }
        # The app whose setup wrote the kept rules, from the file's first line (FirewallRules.Render); nothing when none.
        fw_owner() { if [ -f /etc/hoist/firewall.nft ]; then sed -n '1s/^# The firewall of .* for \([A-Za-z0-9._-]*\), written by `hoist setup`.*$/\1/p' /etc/hoist/firewall.nft; fi; }
        """;
}
