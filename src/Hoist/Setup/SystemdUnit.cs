namespace Hoist.Setup;

/// <summary>
/// The systemd unit that keeps hoist serve running as the app's user: one process for its whole life (Type=exec),
/// a graceful reload through the control socket (which waits, and fails when a new worker does not become ready), SIGTERM for a draining stop, restarted if it ever dies.
/// </summary>
internal static class SystemdUnit
{
    public static string Render(string app, string user, string hoistPath, string serveIni, string deployTo) =>
        $"""
        # hoist serve for {app}, written by `hoist setup`: edit hoist.yml, not this file.
        [Unit]
        Description=hoist serve for {app}
        After=network.target
        StartLimitIntervalSec=60
        StartLimitBurst=5

        [Service]
        Type=exec
        User={user}
        Group=www-data
        WorkingDirectory={deployTo}
        ExecStart={hoistPath} serve --ini {serveIni}
        ExecReload={hoistPath} serve --ini {serveIni} --reload
        KillSignal=SIGTERM
        TimeoutStopSec=60
        Restart=always
        RestartSec=2
        UMask=0027
        NoNewPrivileges=true
        PrivateTmp=true
        ProtectSystem=strict
        ProtectHome=read-only
        ReadWritePaths={deployTo}/shared

        [Install]
        WantedBy=multi-user.target

        """;
}
