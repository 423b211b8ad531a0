namespace Hoist.Remote;

/// <summary>The name OpenSSH looks a host up by, and writes, in known_hosts.</summary>
internal static class KnownHostsName
{
    public const int DefaultPort = 22;

    /// <summary>"host" for port 22, "[host]:port" otherwise; lower case, as ssh writes it.</summary>
    public static string For(string host, int port)
    {
        var name = host.ToLowerInvariant();
        return port == DefaultPort ? name : $"[{name}]:{port}";
    }
}
