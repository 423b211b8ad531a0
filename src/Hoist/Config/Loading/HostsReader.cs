namespace Hoist.Config.Loading;

using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

/// <summary>Reads <c>hosts:</c>, a mapping of role name to one host or a list of hosts.</summary>
internal static partial class HostsReader
{
    public static IReadOnlyList<RoleConfig> Read(NodeReader reader, YamlNode node, SshConfig ssh)
    {
        var map = reader.Mapping(node, "hosts", "a mapping of role to hosts, e.g. { web: [203.0.113.10] }", keys: null);
        if (map is null)
        {
            return [];
        }

        if (map.Children.Count == 0)
        {
            reader.Error(node, "hosts", "no roles; add at least one, e.g. 'web: [203.0.113.10]'");
        }

        var roles = new List<RoleConfig>();
        foreach (var (name, key, value) in Nodes.Entries(map))
        {
            var path = NodePath.Child("hosts", name);
            if (!RoleName().IsMatch(name))
            {
                reader.Error(key, path, $"role name '{name}' is invalid; use lowercase letters, digits, '_' and '-', starting with a letter");
            }

            roles.Add(new RoleConfig(name, ReadRole(reader, name, value, path, ssh)));
        }

        LbRule.Check(reader, map, roles);

        return roles;
    }

    private static List<HostConfig> ReadRole(NodeReader reader, string role, YamlNode node, string path, SshConfig ssh)
    {
        var hosts = new List<HostConfig>();
        var items = reader.Items(node, path, "a host or a list of hosts");
        if (items.Count == 0 && node is not YamlMappingNode)
        {
            reader.Error(node, path, $"role '{role}' has no hosts; list at least one, e.g. [203.0.113.10]");
        }

        foreach (var (item, itemPath) in items)
        {
            var text = reader.Text(item, itemPath, $"a host ({HostParser.Forms})");
            if (text is null)
            {
                continue;
            }

            if (Placeholder.Problem(text, $"the {role} host's address (root@203.0.113.10, or a user with passwordless sudo)", $"--{role} USER@HOST") is { } placeholder)
            {
                reader.Error(item, itemPath, placeholder);
            }
            else if (!HostParser.TryParse(text.Value, ssh.User, ssh.Port, out var host, out var error))
            {
                reader.Error(item, itemPath, error);
            }
            else if (hosts.Any(h => h.Key == host.Key))
            {
                reader.Error(item, itemPath, $"host {text.Quoted} is listed twice in role '{role}'; remove one");
            }
            else
            {
                hosts.Add(host);
            }
        }

        return hosts;
    }

    [GeneratedRegex("^[a-z][a-z0-9_-]*\\z")]
    private static partial Regex RoleName();
}
