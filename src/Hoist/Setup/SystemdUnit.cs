namespace Hoist.Setup;

using Hoist.Serve.Config;

/// <summary>
/// The systemd unit that keeps hoist serve running as the app's user: one process for its whole life that says when
/// it is ready (Type=notify: READY=1 once every first-generation worker answers, or it exits 1 with the reason), a graceful reload through the control socket (which waits, and fails when a new worker does not become ready), SIGTERM for a draining stop, restarted if it ever dies.
/// </summary>
/// <remarks>
/// No <c>Group=</c>: with <c>User=X</c> and <c>Group=www-data</c> systemd gives the process getgrouplist(X, www-data),
/// which leaves out X's own primary group, and serve.ini (<c>root:X 0640</c>) becomes unreadable. Without it the
/// process runs with X's primary group plus initgroups(X) (www-data among them, as setup makes X a member), and
/// <c>SupplementaryGroups=www-data</c> keeps www-data even if that membership goes. nginx still reaches the socket:
/// its folder is setgid www-data, so the socket's group is www-data whatever the process's primary group is.
/// No start limit (<c>StartLimitIntervalSec=0</c>): a first generation that cannot get ready makes hoist serve exit,
/// which fails a `systemctl start` at once (setup and deploy then show why), but at boot the reason is often only
/// that the database host is not up yet; systemd then tries again every RestartSec until it is, instead of giving up
/// after five tries.
/// TimeoutStopSec is the longest a graceful stop takes (three mercy times and a margin), so that systemd's SIGKILL
/// never cuts a drain short that the config allows.
/// The sandbox is what any web app's workers can live with: no devices, kernel knobs, capabilities or new
/// namespaces, only unix and IP sockets (and netlink, which .NET asks interfaces with); not
/// MemoryDenyWriteExecute, which a JIT (.NET's, Node's) needs, nor a system-call filter an app could trip.
/// </remarks>
internal static class SystemdUnit
{
    /// <param name="serve">Its timeouts: a start and a reload may take <see cref="ServeConfig.ReloadWait"/>, a stop <see cref="ServeConfig.StopWait"/>.</param>
    public static string Render(string app, string user, string hoistPath, string serveIni, string deployTo, ServeConfig serve) =>
        $"""
        # hoist serve for {app}, written by `hoist setup`: edit hoist.yml, not this file.
        [Unit]
        Description=hoist serve for {app}
        After=network.target
        StartLimitIntervalSec=0

        [Service]
        Type=notify
        NotifyAccess=main
        TimeoutStartSec={Seconds(serve.ReloadWait)}
        User={user}
        SupplementaryGroups=www-data
        WorkingDirectory={deployTo}
        ExecStart={hoistPath} serve --ini {serveIni}
        ExecReload={hoistPath} serve --ini {serveIni} --reload
        KillSignal=SIGTERM
        TimeoutStopSec={Seconds(serve.StopWait)}
        Restart=always
        RestartSec=2
        UMask=0027
        NoNewPrivileges=true
        PrivateTmp=true
        ProtectSystem=strict
        ProtectHome=read-only
        ReadWritePaths={deployTo}/shared
        PrivateDevices=true
        ProtectKernelTunables=true
        ProtectKernelModules=true
        ProtectKernelLogs=true
        ProtectControlGroups=true
        ProtectClock=true
        ProtectHostname=true
        RestrictNamespaces=true
        RestrictRealtime=true
        RestrictSUIDSGID=true
        LockPersonality=true
        SystemCallArchitectures=native
        CapabilityBoundingSet=
        RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK

        [Install]
        WantedBy=multi-user.target

        """;

    private static int Seconds(TimeSpan time) => (int)Math.Ceiling(time.TotalSeconds);
}
