namespace Hoist.Serve.Config;

/// <summary>A unix socket path, or a TCP host and port.</summary>
internal abstract record ListenAddress
{
    /// <summary>Parses <c>/path/app.sock</c>, <c>unix:/path</c>, <c>host:port</c>, <c>:port</c> (all interfaces) or <c>[v6]:port</c>.</summary>
    public static bool TryParse(string text, out ListenAddress? address, out string? error)
    {
        address = null;
        error = null;
        var value = text.StartsWith("unix:", StringComparison.Ordinal) ? text[5..] : text;
        if (value.StartsWith('/') || value.StartsWith("./", StringComparison.Ordinal) || value.EndsWith(".sock", StringComparison.Ordinal))
        {
            address = new UnixListen(Path.GetFullPath(value));
            return true;
        }

        var colon = value.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(value[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            error = $"'{text}' is neither a socket path (/run/app.sock) nor host:port (127.0.0.1:8000)";
            return false;
        }

        var host = value[..colon].Trim('[', ']');
        address = new TcpListen(host.Length == 0 ? "0.0.0.0" : host, port);
        return true;
    }
}

/// <summary>A unix domain socket at <paramref name="Path"/>.</summary>
internal sealed record UnixListen(string Path) : ListenAddress
{
    public override string ToString() => "unix:" + Path;
}

/// <summary>A TCP address.</summary>
internal sealed record TcpListen(string Host, int Port) : ListenAddress
{
    /// <summary>The address to bind: 0.0.0.0 or * for all interfaces, localhost for loopback.</summary>
    public System.Net.IPAddress Address =>
        Host is "0.0.0.0" or "*" ? System.Net.IPAddress.Any
        : Host == "localhost" ? System.Net.IPAddress.Loopback
        : System.Net.IPAddress.Parse(Host);

    public override string ToString() => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
