namespace Hoist.Serve.Config;

/// <summary>
/// uWSGI options that real projects' ini files carry and Hoist has no setting for: each is accepted as a no-op
/// (what it asks for is what Hoist always does), refused with what to use instead, or, for the rest of the common
/// ones, refused as a uWSGI option Hoist does not implement; none is taken for a placeholder or silently ignored (a key
/// of the file's own that nothing uses is a placeholder, with a warning at load).
/// </summary>
internal static class UwsgiKeys
{
    /// <summary>Accepted for uWSGI compatibility, only their values checked: Hoist always behaves so (see serve.example.ini).</summary>
    public static readonly IReadOnlyList<string> NoOps =
    [
        // Always its own master; always stops gracefully on SIGTERM; needs no plugins.
        "master", "die-on-term",
        // The app is loaded in each worker, which may start threads, and a worker without an app never becomes ready.
        "lazy-apps", "enable-threads", "single-interpreter", "need-app",
    ];

    /// <summary>Refused with the fix; in <see cref="ServeKeys.All"/>, so hoist.yml's serve: gives the same message.</summary>
    public static readonly IReadOnlyDictionary<string, string> Refused = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["uid"] = UserMessage,
        ["gid"] = UserMessage,
        ["daemonize"] = DaemonMessage,
        ["daemonize2"] = DaemonMessage,
        ["idle"] = IdleMessage,
        ["die-on-idle"] = IdleMessage,
        ["cheaper"] = IdleMessage,
        ["chown-socket"] = "hoist serve's socket belongs to the user it runs as; give nginx access with chmod-socket (660) and a socket folder of nginx's group, as hoist setup makes /run/<app>; remove this line",
    };

    /// <summary>Other uWSGI options often seen in project ini files, which Hoist has no setting for.</summary>
    public static readonly IReadOnlySet<string> Unsupported = new HashSet<string>(StringComparer.Ordinal)
    {
        "http", "https", "uwsgi-socket", "shared-socket", "fastcgi-socket", "protocol", "listen", "buffer-size",
        "post-buffering", "thunder-lock", "offload-threads", "static-map", "static-expires", "mount", "manage-script-name",
        "pythonpath", "python-path", "pp", "py-autoreload", "python-autoreload", "stats", "stats-http", "memory-report",
        "logto2", "log-date", "logdate", "disable-logging", "log-4xx", "log-5xx", "logger", "req-logger", "log-reopen",
        "touch-logreopen", "master-fifo", "socket-timeout", "http-timeout", "limit-as", "reload-on-as", "evil-reload-on-rss",
        "max-worker-lifetime", "reload-mercy", "harakiri-verbose", "no-orphans", "strict", "auto-procname",
        "procname-prefix", "procname", "attach-daemon", "smart-attach-daemon", "cron", "spooler", "mule", "add-header",
        "wsgi", "file", "app", "mountpoint", "emperor", "vhost", "plugin", "uwsgi-file",
    };

    private const string UserMessage =
        "hoist serve's workers run as the user hoist serve runs as, never switching: under hoist setup that is the systemd unit's User= (setup.user in hoist.yml); elsewhere start hoist serve as that user (sudo -u www-data hoist serve --ini FILE); remove this line";

    private const string DaemonMessage =
        "hoist serve does not fork itself from its settings: run `hoist serve --ini FILE --daemon` (or hoist setup's systemd unit, setup.service) and name its log file with logto; remove this line";

    private const string IdleMessage =
        "hoist serve keeps its workers running, never stopping them when idle (a request would wait for an app to load); size them with processes and remove this line";
}
