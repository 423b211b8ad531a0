namespace Hoist.Serve.Config;

using System.Text.RegularExpressions;

/// <summary>
/// Reads where <c>hoist serve</c> listens. <c>socket</c> and <c>http-socket</c> mean the same thing here:
/// Hoist speaks HTTP on either, never uWSGI's binary protocol, so nginx uses <c>proxy_pass</c>, not <c>uwsgi_pass</c>.
/// </summary>
internal static partial class ListenBuilder
{
    public static ListenAddress? Address(SettingReader read)
    {
        var socket = read.Find("socket");
        var http = read.Find("http-socket");
        if (socket is not null && http is not null)
        {
            read.Error(http, $"{read.Name("socket")} and {read.Name("http-socket")} are both set; keep one (Hoist speaks HTTP on either)");
            return null;
        }

        var chosen = socket ?? http;
        if (chosen is null)
        {
            read.Missing(["socket", "http-socket"], $"nowhere to listen; set {read.Name("socket")} to a socket path (/run/myapp.sock) or to host:port (127.0.0.1:8000)");
            return null;
        }

        return chosen.Text is null ? null : Parse(read, chosen, chosen.Text.Value.Trim());
    }

    public static UnixFileMode? Mode(SettingReader read, ListenAddress? address)
    {
        var setting = read.Find("chmod-socket");
        var text = setting?.Text;
        if (setting is null || text is null)
        {
            return null;
        }

        if (!OctalMode().IsMatch(text.Value))
        {
            read.Error(setting, $"{text.Quoted} is not a file mode; write it in octal, such as 664 or 0660");
            return null;
        }

        if (address is TcpListen)
        {
            read.Error(setting, $"{read.Name("chmod-socket")} only applies to a unix socket; remove it, or listen on a socket path");
            return null;
        }

        return (UnixFileMode)Convert.ToInt32(text.Value, 8);
    }

    /// <summary>The control socket: as set, else beside a unix socket, else named after the TCP port in a folder private to the user.</summary>
    public static string? ControlSocket(SettingReader read, ListenAddress? address)
    {
        if (read.Find("control-socket") is not null)
        {
            return read.Path("control-socket");
        }

        return address switch
        {
            UnixListen unix => unix.Path + ".ctl",
            TcpListen tcp => Control.ControlFolder.DefaultSocket(tcp.Port),
            _ => null,
        };
    }

    private static ListenAddress? Parse(SettingReader read, ServeSetting setting, string value)
    {
        var unix = value.StartsWith("unix:", StringComparison.Ordinal);
        var path = unix ? value[5..] : value;
        if (unix || path.Contains('/', StringComparison.Ordinal) || path.EndsWith(".sock", StringComparison.Ordinal))
        {
            var full = read.ResolvePath(setting, path);
            return full is null ? null : new UnixListen(full);
        }

        if (!ListenAddress.TryParse(value, out var address, out var error))
        {
            read.Error(setting, error!);
        }

        return address;
    }

    [GeneratedRegex("^0?[0-7]{3}\\z")]
    private static partial Regex OctalMode();
}
