namespace Hoist.Config.Loading;

using YamlDotNet.RepresentationModel;

/// <summary>Reads <c>migrate:</c> (one command or a list) and <c>migrate_on:</c> (one of the web hosts, default the first).</summary>
internal static class MigrateReader
{
    public static MigrateConfig? Read(NodeReader reader, YamlMappingNode map, IReadOnlyList<RoleConfig> roles, SshConfig ssh)
    {
        var node = Nodes.Optional(map, "migrate");
        var on = Nodes.Optional(map, "migrate_on");
        var web = roles.FirstOrDefault(r => r.Name == "web")?.Hosts ?? [];
        if (node is null || Nodes.IsNull(node))
        {
            if (on is not null)
            {
                reader.Error(on, "migrate_on", "migrate_on is set but there is no migrate: command to run; add migrate: or remove migrate_on");
            }

            return null;
        }

        var errors = reader.Errors.Count;
        var commands = HoistConfigReader.ReadCommands(reader, node, "migrate");
        if (commands.Count == 0 && reader.Errors.Count == errors)
        {
            reader.Error(node, "migrate", "no command; give one (migrate: venv/bin/flask db upgrade) or a list of them, or remove migrate:");
        }

        var host = on is null ? web.FirstOrDefault() : ReadHost(reader, on, web, ssh);
        if (host is null && on is null && roles.Count > 0)
        {
            reader.Error(node, "migrate", "migrations run on a web host, and hosts: has no web role; add one (hosts: { web: [203.0.113.10] })");
        }

        return reader.Errors.Count > errors || host is null ? null : new MigrateConfig(commands, host);
    }

    private static HostConfig? ReadHost(NodeReader reader, YamlNode node, IReadOnlyList<HostConfig> web, SshConfig ssh)
    {
        var text = reader.Text(node, "migrate_on", "one of the web hosts");
        if (text is null)
        {
            return null;
        }

        var listed = web.Count == 0 ? "hosts: has no web role" : $"the web hosts are: {string.Join(", ", web.Select(h => h.Display))}";
        if (!HostParser.TryParse(text.Value, ssh.User, ssh.Port, out var parsed, out _))
        {
            reader.Error(node, "migrate_on", $"{text.Quoted} is not a web host of this file; {listed}");
            return null;
        }

        // As written in hosts.web, or as hoist prints it: either names the same host.
        var host = web.FirstOrDefault(h => h.Key == parsed.Key || h.Display == text.Value);
        if (host is null)
        {
            reader.Error(node, "migrate_on", $"{text.Quoted} is not a web host of this file; migrations run on one of hosts.web: {listed}");
        }

        return host;
    }
}
