namespace Hoist.Deploy;

using Hoist.Config;
using Hoist.Core;
using Hoist.Setup;
using Hoist.Shell;

/// <summary>
/// Takes web hosts out of the lb's upstream before they switch, and puts them back once healthy: a Script per lb host
/// (the same one for each) that writes the lb site with those hosts down, checks it with nginx -t, reloads nginx
/// gracefully (requests in flight finish) and returns once the new workers serve. Both are idempotent: an upstream
/// that is already so is left alone and nginx is not reloaded.
/// </summary>
internal static class LbDrain
{
    /// <summary>The script that leaves <paramref name="drained"/> out of the upstream (every other web host in).</summary>
    public static Script Out(HoistConfig config, IReadOnlyCollection<HostConfig> drained)
    {
        var web = LbRole.Web(config);
        var keys = drained.Select(h => h.Key).ToHashSet(StringComparer.Ordinal);
        if (keys.FirstOrDefault(k => web.All(w => w.Key != k)) is { } stranger)
        {
            throw new ArgumentException($"{stranger} is not a web host of {config.Files}, so it is not in the lb's upstream", nameof(drained));
        }

        if (keys.Count == web.Count)
        {
            throw HoistException.Usage($"taking every web host out of the lb's upstream would leave it nothing to serve; drain fewer at once (deploy.batch)");
        }

        return LbSetupScript.Upstream("lb-drain", Checked(config), keys);
    }

    /// <summary>The script that puts every web host back in the upstream (what hoist setup writes).</summary>
    public static Script Back(HoistConfig config) => LbSetupScript.Upstream("lb-restore", Checked(config), []);

    private static HoistConfig Checked(HoistConfig config) =>
        config.Setup is not null && LbRole.Hosts(config).Count > 0
            ? config
            : throw new InvalidOperationException("LbDrain needs lb hosts and a setup: section (the lb site's nginx settings)");
}
