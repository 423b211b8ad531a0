namespace Hoist.Setup;

using System.Globalization;
using System.Text;
using Hoist.Serve.Config;

/// <summary>
/// hoist.yml's <c>serve:</c> as the ini hoist serve reads on a web host (<c>shared/serve.ini</c>): every value
/// already checked and expanded, paths absolute. The workers read <c>shared/.env</c> (DATABASE_URL) as their env-file.
/// </summary>
internal static class ServeIniFile
{
    /// <summary>
    /// A placeholder holding a lone '$': hoist serve expands <c>$(NAME)</c> from its environment and has no escape for
    /// it, so a literal <c>$(</c> is written <c>%(hoist-dollar)(</c>, which expands back to it (as in uWSGI).
    /// </summary>
    private const string Dollar = "hoist-dollar";

    /// <summary>Values a line of the ini cannot hold (a line break), each with its fix; setup refuses them before any host is touched.</summary>
    public static IReadOnlyList<string> Problems(ServeConfig serve)
    {
        var problems = new List<string>();
        if (serve.App is CommandApp command && HasLineBreak(command.Command))
        {
            problems.Add("serve.command holds a line break, which a line of hoist serve's ini cannot; put the commands in a script in the release and run that");
        }

        foreach (var (name, value) in serve.Env.Where(e => HasLineBreak(e.Value)))
        {
            problems.Add($"serve.env.{name} holds a line break, which a line of hoist serve's ini cannot; write the value on one line");
        }

        return problems;
    }

    public static string Render(string app, ServeConfig serve, string envFile)
    {
        if (Problems(serve) is [var problem, ..])
        {
            throw new ArgumentException(problem, nameof(serve));
        }

        var text = new StringBuilder();
        text.Append($"; hoist serve for {app}, written by `hoist setup` from hoist.yml's serve: section; edit that, not this file.\n");
        text.Append("[uwsgi]\n");
        var dollarAt = text.Length;
        var dollarUsed = false;
        void Add(string key, object? value)
        {
            if (value is not null)
            {
                // hoist serve expands %(...) and %x in ini values (a literal '%' is written %%), and $(NAME).
                var escaped = Convert.ToString(value, CultureInfo.InvariantCulture)!.Replace("%", "%%", StringComparison.Ordinal);
                dollarUsed |= escaped.Contains("$(", StringComparison.Ordinal);
                text.Append(key).Append(" = ").Append(escaped.Replace("$(", $"%({Dollar})(", StringComparison.Ordinal)).Append('\n');
            }
        }

        switch (serve.Listen)
        {
            case UnixListen unix:
                Add("socket", unix.Path);
                break;
            case TcpListen tcp:
                Add("http-socket", tcp.ToString());
                break;
        }

        // nginx (group www-data, through the setgid socket folder) must be able to write to the socket: 660 unless set.
        Add("chmod-socket", serve.SocketMode is { } mode ? Convert.ToString((int)mode, 8) : serve.Listen is UnixListen ? "660" : null);
        // Only as set: the default of a TCP listener is per user (root's /run/hoist, others' /tmp/hoist-UID), and this
        // machine's would name a folder the app's user cannot make; the host's hoist serve, and every --status,
        // --reload and --stop run there as that user from this ini, derive the same one.
        Add("control-socket", serve.ControlSocketSet ? serve.ControlSocket : null);
        Add("processes", serve.Workers);
        Add("chdir", serve.Chdir);
        switch (serve.App)
        {
            case WsgiApp { File: { } file } wsgi:
                Add("wsgi-file", file);
                Add("callable", wsgi.Callable);
                AddPython(wsgi);
                break;
            case WsgiApp wsgi:
                Add(wsgi.Asgi ? "asgi" : "module", $"{wsgi.Module}:{wsgi.CallableExpression}");
                AddPython(wsgi);
                break;
            case CommandApp command:
                Add("command", command.Command);
                break;
        }

        void AddPython(WsgiApp wsgi)
        {
            Add("optimize", wsgi.Optimize);
            Add("threads", wsgi.Threads > 1 ? wsgi.Threads : null);
            Add("venv", wsgi.Venv);
        }

        Add("env-file", envFile);
        foreach (var (name, value) in serve.Env)
        {
            Add("env", $"{name}={value}");
        }

        Add("healthcheck", serve.HealthCheck);
        Add("healthcheck-host", serve.HealthCheckHost);
        Add("ready-timeout", (int)serve.ReadyTimeout.TotalSeconds);
        Add("worker-reload-mercy", (int)serve.Mercy.TotalSeconds);
        Add("client-header-timeout", (int)serve.ClientHeaderTimeout.TotalSeconds);
        Add("client-body-timeout", (int)serve.ClientBodyTimeout.TotalSeconds);
        Add("reload-probation", (int)serve.ReloadProbation.TotalSeconds);
        Add("harakiri", serve.Harakiri is { } harakiri ? (int)harakiri.TotalSeconds : null);
        Add("max-requests", serve.MaxRequests);
        Add("reload-on-rss", serve.ReloadOnRssMiB);
        Add("pidfile", serve.PidFile);
        Add("logto", serve.LogTo);
        Add("log-maxsize", serve.LogMaxBytes);
        Add("touch-reload", serve.TouchReload);
        Add("vacuum", serve.Vacuum ? "true" : "false");
        if (dollarUsed)
        {
            // Defined before its first use, as placeholders must be.
            text.Insert(dollarAt, $"{Dollar} = $\n");
        }

        return text.ToString();
    }

    private static bool HasLineBreak(string value) => value.Contains('\n', StringComparison.Ordinal) || value.Contains('\r', StringComparison.Ordinal);
}
