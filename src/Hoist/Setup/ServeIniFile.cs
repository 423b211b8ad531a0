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
    public static string Render(string app, ServeConfig serve, string envFile)
    {
        var text = new StringBuilder();
        text.Append($"; hoist serve for {app}, written by `hoist setup` from hoist.yml's serve: section; edit that, not this file.\n");
        text.Append("[uwsgi]\n");
        void Add(string key, object? value)
        {
            if (value is not null)
            {
                // hoist serve expands %(...) and %x in ini values: a literal '%' is written %%.
                text.Append(key).Append(" = ").Append(Convert.ToString(value, CultureInfo.InvariantCulture)!.Replace("%", "%%", StringComparison.Ordinal)).Append('\n');
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
        Add("control-socket", serve.ControlSocket);
        Add("processes", serve.Workers);
        Add("chdir", serve.Chdir);
        switch (serve.App)
        {
            case WsgiApp { File: { } file } wsgi:
                Add("wsgi-file", file);
                Add("callable", wsgi.Callable);
                Add("optimize", wsgi.Optimize);
                break;
            case WsgiApp wsgi:
                Add("module", $"{wsgi.Module}:{wsgi.Callable}");
                Add("optimize", wsgi.Optimize);
                break;
            case CommandApp command:
                Add("command", command.Command);
                break;
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
        Add("harakiri", serve.Harakiri is { } harakiri ? (int)harakiri.TotalSeconds : null);
        Add("max-requests", serve.MaxRequests);
        Add("reload-on-rss", serve.ReloadOnRssMiB);
        Add("pidfile", serve.PidFile);
        Add("logto", serve.LogTo);
        Add("log-maxsize", serve.LogMaxBytes);
        Add("touch-reload", serve.TouchReload);
        Add("vacuum", serve.Vacuum ? "true" : "false");
        return text.ToString();
    }
}
