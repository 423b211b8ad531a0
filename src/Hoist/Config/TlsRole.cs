namespace Hoist.Config;

/// <summary>
/// Where TLS terminates with setup.tls: the lb host when there is one (the web hosts stay on plain HTTP behind it),
/// else the only web host. The config reader refuses any other shape, so exactly one host terminates.
/// </summary>
internal static class TlsRole
{
    /// <summary>Whether <paramref name="host"/> is where setup.tls's certificate lives and nginx listens on 443.</summary>
    public static bool Terminates(HoistConfig config, HostConfig host) =>
        config.Setup?.Tls is not null && Host(config)?.Key == host.Key;

    /// <summary>Whether TLS terminates on an lb host in front of the web hosts (which then tell the app it was https).</summary>
    public static bool AtLb(HoistConfig config) => config.Setup?.Tls is not null && LbRole.Hosts(config).Count > 0;

    /// <summary>Whether TLS terminates on the web host itself (no lb in front; the config reader allows one web host then).</summary>
    public static bool AtWeb(HoistConfig config) => config.Setup?.Tls is not null && LbRole.Hosts(config).Count == 0;

    private static HostConfig? Host(HoistConfig config) =>
        LbRole.Hosts(config) is [var lb, ..] ? lb : LbRole.Web(config) is [var web] ? web : null;
}
