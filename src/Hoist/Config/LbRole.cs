namespace Hoist.Config;

/// <summary>
/// The <c>lb</c> role: hosts that run only nginx, in front of every web host. They get no releases (no deploy_to);
/// hoist setup writes their upstream, and a deploy takes web hosts out of it and puts them back (LbDrain).
/// </summary>
internal static class LbRole
{
    public const string Name = "lb";

    /// <summary>The lb hosts, in config order (none without <c>hosts.lb</c>).</summary>
    public static IReadOnlyList<HostConfig> Hosts(HoistConfig config) => Role(config, Name);

    /// <summary>The web hosts the lb spreads requests over, in config order.</summary>
    public static IReadOnlyList<HostConfig> Web(HoistConfig config) => Role(config, "web");

    private static IReadOnlyList<HostConfig> Role(HoistConfig config, string name) =>
        config.Roles.FirstOrDefault(r => r.Name == name)?.Hosts ?? [];
}
