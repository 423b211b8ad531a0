namespace Hoist.Setup;

/// <summary>
/// hoist-firewall.service: loads hoist's rules at boot, and again after nftables.service (whose /etc/nftables.conf
/// begins with <c>flush ruleset</c>) restarts or reloads, so Debian's own rules and hoist's table both stand.
/// Hoist's own unit, not an include in /etc/nftables.conf: that file stays the user's.
/// </summary>
internal static class FirewallUnit
{
    public const string Name = "hoist-firewall.service";

    public const string Path = "/etc/systemd/system/" + Name;

    public const string Rules = "/etc/hoist/firewall.nft";

    public static string Render() => $"""
        # written by hoist setup (setup.firewall): loads {Rules}, the table inet hoist, at boot.
        [Unit]
        Description=hoist's firewall (table inet hoist)
        DefaultDependencies=no
        Wants=network-pre.target
        Before=network-pre.target shutdown.target
        After=nftables.service
        PartOf=nftables.service
        ReloadPropagatedFrom=nftables.service
        Conflicts=shutdown.target

        [Service]
        Type=oneshot
        RemainAfterExit=yes
        ExecStart=/usr/sbin/nft -f {Rules}
        ExecReload=/usr/sbin/nft -f {Rules}

        [Install]
        WantedBy=sysinit.target

        """;
}
