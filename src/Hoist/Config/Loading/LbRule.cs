namespace Hoist.Config.Loading;

using YamlDotNet.RepresentationModel;

/// <summary>
/// What <c>hosts.lb</c> may hold: hosts of their own (nginx there listens where the web site would), reached over SSH,
/// in front of at least one web host.
/// </summary>
internal static class LbRule
{
    public static void Check(NodeReader reader, YamlMappingNode hosts, IReadOnlyList<RoleConfig> roles)
    {
        if (roles.FirstOrDefault(r => r.Name == LbRole.Name) is not { } lb || Nodes.Optional(hosts, LbRole.Name) is not { } node)
        {
            return;
        }

        var path = NodePath.Child("hosts", LbRole.Name);
        var web = roles.FirstOrDefault(r => r.Name == "web")?.Hosts ?? [];
        if (web.Count == 0)
        {
            reader.Error(node, path, "an lb host spreads requests over the web hosts, and there are none; add hosts: { web: [...] }");
        }

        if (web.Any(w => w.IsLocal))
        {
            reader.Error(node, path, "the lb reaches the web hosts by address, and one of them is 'local'; name every web host by its address");
        }

        foreach (var host in lb.Hosts)
        {
            if (host.IsLocal)
            {
                reader.Error(node, path, "an lb host cannot be 'local': the web hosts trust its address for the client's; name it by its address");
            }
            else if (web.Any(w => w.Address == host.Address))
            {
                reader.Error(node, path, $"{host.Display} is both an lb and a web host, and both sites would listen on the same port; give the lb a host of its own");
            }
        }
    }
}
