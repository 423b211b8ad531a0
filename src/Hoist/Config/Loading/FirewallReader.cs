namespace Hoist.Config.Loading;

using System.Net;
using YamlDotNet.RepresentationModel;

/// <summary>
/// Reads <c>setup.firewall</c> (true or false, default false) and, when it is on, what the rules need from hosts:
/// no <c>local</c> host (hoist would wall in the machine it runs on), and lb hosts given as IP addresses, since the
/// web hosts' rules admit nginx's port from those addresses only and nftables matches addresses, not names.
/// </summary>
internal static class FirewallReader
{
    private static readonly string[] Roles = ["web", "db", LbRole.Name];

    public static bool? Read(NodeReader reader, YamlNode? node, IReadOnlyList<RoleConfig> roles)
    {
        if (node is null)
        {
            return false;
        }

        var on = reader.Boolean(node, "setup.firewall");
        if (on != true)
        {
            return on;
        }

        var ok = true;
        foreach (var role in roles.Where(r => Roles.Contains(r.Name)))
        {
            if (role.Hosts.Any(h => h.IsLocal))
            {
                reader.Error(node, "setup.firewall", $"hosts.{role.Name} has local, the machine hoist runs on, and setup.firewall would put nftables rules on it; set setup.firewall: false, or name that host by its SSH address");
                ok = false;
            }
        }

        var web = roles.FirstOrDefault(r => r.Name == "web")?.Hosts ?? [];
        var named = (roles.FirstOrDefault(r => r.Name == LbRole.Name)?.Hosts ?? []).Where(h => !h.IsLocal && !IPAddress.TryParse(h.Address, out _)).ToList();
        if (web.Count > 0 && named.Count > 0)
        {
            reader.Error(node, "setup.firewall", $"the web hosts' firewall admits nginx's port only from the lb hosts' addresses, and {string.Join(", ", named.Select(h => h.Display))} is a name, not an IP address; write hosts.lb as IP addresses (root@203.0.113.5), or set setup.firewall: false");
            ok = false;
        }

        return ok ? true : null;
    }
}
