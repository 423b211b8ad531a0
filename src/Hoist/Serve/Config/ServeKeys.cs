namespace Hoist.Serve.Config;

/// <summary>Every setting <c>hoist serve</c> knows, spelt as in a uWSGI ini (hoist.yml writes '_' for '-').</summary>
internal static class ServeKeys
{
    public static readonly IReadOnlyList<string> All =
    [
        "master", "processes", "workers", "socket", "http-socket", "chmod-socket", "pidfile", "logto",
        "log-maxsize", "touch-reload", "chdir", "wsgi-file", "module", "asgi", "callable", "command", "env", "vacuum",
        "die-on-term", "harakiri", "max-requests", "reload-on-rss", "healthcheck", "healthcheck-host", "ready-timeout",
        "worker-reload-mercy", "control-socket", "plugins", "optimize", "env-file", "client-header-timeout",
        "client-body-timeout", "reload-probation", "threads", "venv", "home", "virtualenv", "pyhome",
        .. UwsgiKeys.NoOps.Except(["master", "die-on-term"]), .. UwsgiKeys.Refused.Keys,
    ];

    public static bool IsKnown(string key) => All.Contains(key);
}
