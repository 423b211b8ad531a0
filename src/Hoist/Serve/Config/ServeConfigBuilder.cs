namespace Hoist.Serve.Config;

/// <summary>
/// Turns settings into a <see cref="ServeConfig"/>. The ini and hoist.yml's <c>serve:</c> both come through here,
/// so they accept the same values and report the same errors (each in its own key spelling). Every problem is
/// added to the errors; the config is built only when there are none.
/// </summary>
internal static partial class ServeConfigBuilder
{
    public static ServeConfig? Build(ServeSettings settings, ServeErrors errors)
    {
        var read = new SettingReader(settings, errors);

        // Accepted for uWSGI compatibility: what they ask for is what Hoist always does; only their values are checked.
        foreach (var key in UwsgiKeys.NoOps)
        {
            read.Bool(key);
        }

        foreach (var (key, message) in UwsgiKeys.Refused)
        {
            if (read.Find(key) is { } refused)
            {
                read.Error(refused, $"{read.Name(key)} is not supported: {message}");
            }
        }

        var workers = Workers(read);
        var listen = ListenBuilder.Address(read);
        var mode = ListenBuilder.Mode(read, listen);
        var control = ListenBuilder.ControlSocket(read, listen);
        var chdir = read.Path("chdir");
        var app = AppBuilder.Read(read, chdir);
        var env = EnvBuilder.Read(settings.Env, errors);
        var envFile = read.Path("env-file");
        var pidFile = read.Path("pidfile");
        var logTo = read.Path("logto");
        var logMax = read.Long("log-maxsize", 1);
        var touchReload = read.Path("touch-reload");
        var vacuum = read.Bool("vacuum");
        var harakiri = read.Seconds("harakiri");
        var maxRequests = read.Int("max-requests", 1);
        var reloadOnRss = read.Int("reload-on-rss", 1);
        var healthCheck = HealthCheck(read);
        var healthCheckHost = HealthCheckHost(read, healthCheck);
        var readyTimeout = read.Seconds("ready-timeout");
        var mercy = read.Seconds("worker-reload-mercy");
        var headerTimeout = read.Seconds("client-header-timeout");
        var bodyTimeout = read.Seconds("client-body-timeout");
        var probation = read.Int("reload-probation", 0, 3600);

        // A value that failed to expand was reported where it was read; nothing is built from a guess.
        var unresolved = settings.Values.Any(s => s.Text is null) || settings.Env.Any(e => e.Value is null);
        if (errors.Count > 0 || unresolved || listen is null || app is null || control is null)
        {
            return null;
        }

        var config = new ServeConfig
        {
            SourcePath = settings.SourcePath,
            Listen = listen,
            SocketMode = mode,
            ControlSocket = control,
            ControlSocketSet = read.Find("control-socket") is not null,
            App = app,
            Chdir = chdir,
            Env = env,
            EnvFile = envFile,
            PidFile = pidFile,
            LogTo = logTo,
            TouchReload = touchReload,
            Vacuum = vacuum ?? false,
            Harakiri = harakiri,
            MaxRequests = maxRequests,
            ReloadOnRssMiB = reloadOnRss,
            HealthCheck = healthCheck,
            HealthCheckHost = healthCheckHost,
        };

        // The record holds the defaults; only what was set replaces them.
        return config with
        {
            Workers = workers ?? config.Workers,
            LogMaxBytes = logMax ?? config.LogMaxBytes,
            ReadyTimeout = readyTimeout ?? config.ReadyTimeout,
            Mercy = mercy ?? config.Mercy,
            ClientHeaderTimeout = headerTimeout ?? config.ClientHeaderTimeout,
            ClientBodyTimeout = bodyTimeout ?? config.ClientBodyTimeout,
            ReloadProbation = probation is { } seconds ? TimeSpan.FromSeconds(seconds) : config.ReloadProbation,
        };
    }

    private static int? Workers(SettingReader read)
    {
        if (read.Find("processes") is not null && read.Find("workers") is { } workers)
        {
            read.Error(workers, $"{read.Name("processes")} and {read.Name("workers")} are both set and mean the same; keep one");
            return null;
        }

        return read.Int("processes", 1) ?? read.Int("workers", 1);
    }

    private static string? HealthCheckHost(SettingReader read, string? healthCheck)
    {
        var setting = read.Find("healthcheck-host");
        var text = setting?.Text;
        if (setting is null || text is null)
        {
            return null;
        }

        var host = text.Value.Trim();
        if (!HostName.IsValid(host))
        {
            read.Error(setting, $"{text.Quoted} is not a host name; write the name the app answers to, such as example.com (a :port may follow)");
            return null;
        }

        if (healthCheck is null && read.Find("healthcheck") is null)
        {
            read.Error(setting, $"{read.Name("healthcheck-host")} is set but {read.Name("healthcheck")} is not, so no request is made; set {read.Name("healthcheck")} to a path such as /up, or remove this");
            return null;
        }

        return host;
    }

    private static string? HealthCheck(SettingReader read)
    {
        var setting = read.Find("healthcheck");
        var text = setting?.Text;
        if (setting is null || text is null)
        {
            return null;
        }

        var path = text.Value.Trim();
        if (path.StartsWith('/') && !path.Any(char.IsWhiteSpace))
        {
            return path;
        }

        var hint = path.Length > 0 && !path.StartsWith('/') && !path.Any(char.IsWhiteSpace) ? $"; did you mean '/{path}'?" : "";
        read.Error(setting, $"{text.Quoted} is not a URL path; write one starting with '/', such as /up{hint}");
        return null;
    }
}
