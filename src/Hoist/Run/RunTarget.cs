namespace Hoist.Run;

using Hoist.Config;
using Hoist.Core;

/// <summary>The one host <c>hoist run</c> runs on: <c>--host</c>, which must get releases, else the first web host (else the first that gets releases).</summary>
internal static class RunTarget
{
    public static HostConfig Pick(HoistConfig config, string? host)
    {
        var app = config.AllHosts.Where(config.GetsReleases).ToList();
        var names = app.Count == 0 ? "none" : string.Join(", ", app.Select(h => h.Display));
        if (host is null)
        {
            return LbRole.Web(config).FirstOrDefault() ?? app.FirstOrDefault()
                ?? throw HoistException.Usage($"{config.ConfigPath} has no host that gets releases (hosts: web: ...), so there is nowhere for hoist run to run");
        }

        var named = config.AllHosts.Where(h => h.Display == host || h.Address == host || h.Key == host).ToList();
        if (named.Count == 0)
        {
            throw HoistException.Usage($"--host {host}: no such host in {config.ConfigPath}; hoist run runs on one of the app's hosts: {names}");
        }

        return named.FirstOrDefault(config.GetsReleases)
            ?? throw HoistException.Usage($"--host {host}: only a db or lb host in {config.ConfigPath}, which has no release to run in; pick one of the app's hosts: {names}");
    }
}
