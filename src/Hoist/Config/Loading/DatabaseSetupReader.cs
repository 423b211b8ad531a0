namespace Hoist.Config.Loading;

using System.Net;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

/// <summary>Reads <c>setup.database</c>: the app's database, its two roles, and who may reach them.</summary>
internal static partial class DatabaseSetupReader
{
    public const int DefaultPostgresPort = 5432;

    private static readonly string[] Keys = ["name", "owner", "user", "port", "host", "allow_from"];

    public static DatabaseSetup? Read(NodeReader reader, YamlNode? node, string app, IReadOnlyList<RoleConfig> roles, YamlNode setupNode)
    {
        var db = roles.FirstOrDefault(r => r.Name == "db");
        if (db is null)
        {
            if (node is not null)
            {
                reader.Error(node, "setup.database", "PostgreSQL goes on the host of the 'db' role, and hosts has none; add hosts: { db: ADDRESS }, or remove setup.database");
            }

            return null;
        }

        var map = node is null ? null : reader.Mapping(node, "setup.database", "a mapping such as { name: myproject }", Keys);
        if (db.Hosts.Count != 1)
        {
            reader.Error(node ?? setupNode, "setup.database", $"the 'db' role has {db.Hosts.Count} hosts; Hoist sets up PostgreSQL on exactly one");
            return null;
        }

        var defaultName = Regex.Replace(app, "[^a-z0-9_]", "_");
        var at = node ?? setupNode;
        var name = Identifier(reader, map, at, "name", defaultName);
        var owner = Identifier(reader, map, at, "owner", $"{name ?? defaultName}_owner");
        var user = Identifier(reader, map, at, "user", $"{name ?? defaultName}_app");
        var port = map is not null && Nodes.Optional(map, "port") is { } portNode ? reader.Integer(portNode, "setup.database.port", 1, 65535) : DefaultPostgresPort;
        var hostNode = map is null ? null : Nodes.Optional(map, "host");
        var host = hostNode is not null ? reader.Text(hostNode, "setup.database.host", "an address")?.Value : db.Hosts[0].Address;
        if (host is not null && !HostName().IsMatch(host))
        {
            reader.Error(hostNode ?? at, "setup.database.host", $"'{host}' is not an address or host name");
            host = null;
        }

        var allowFrom = ReadAllowFrom(reader, map, roles, node ?? setupNode);
        if (owner is not null && owner == user)
        {
            reader.Error(node ?? setupNode, "setup.database", "owner and user must differ: the owner changes the schema, the app's user only reads and writes rows");
            return null;
        }

        return name is null || owner is null || user is null || port is null || host is null || allowFrom is null
            ? null
            : new DatabaseSetup(name, owner, user, port.Value, host, allowFrom);
    }

    private static IReadOnlyList<string>? ReadAllowFrom(NodeReader reader, YamlMappingNode? map, IReadOnlyList<RoleConfig> roles, YamlNode at)
    {
        if (map is not null && Nodes.Optional(map, "allow_from") is { } node)
        {
            var list = new List<string>();
            foreach (var (item, path) in reader.Items(node, "setup.database.allow_from", "an address or CIDR range, or a list of them"))
            {
                var text = reader.Text(item, path, "an address or CIDR range");
                if (text is not null && Cidr(text.Value) is { } cidr)
                {
                    list.Add(cidr);
                }
                else if (text is not null)
                {
                    reader.Error(item, path, $"{text.Quoted} is not an IP address or CIDR range (10.0.0.5, 10.0.0.0/24)");
                }
            }

            return list;
        }

        var web = roles.FirstOrDefault(r => r.Name == "web")?.Hosts ?? [];
        var named = web.Where(h => h.IsLocal || Cidr(h.Address) is null).Select(h => h.Display).ToList();
        if (named.Count > 0)
        {
            reader.Error(at, "setup.database.allow_from", $"pg_hba needs the web hosts' IP addresses, and {string.Join(", ", named)} is not one; list them in setup.database.allow_from");
            return null;
        }

        return web.Select(h => Cidr(h.Address)!).Distinct().ToList();
    }

    private static string? Identifier(NodeReader reader, YamlMappingNode? map, YamlNode at, string key, string fallback)
    {
        var path = NodePath.Child("setup.database", key);
        var node = map is null ? null : Nodes.Optional(map, key);
        var text = node is null ? null : reader.Text(node, path, "a PostgreSQL name");
        var value = text?.Value ?? fallback;
        if (!PgIdentifier().IsMatch(value))
        {
            reader.Error(node ?? at, path, text is null
                ? $"the default name '{value}' is not a plain PostgreSQL name; set {path} (lowercase letters, digits and '_', starting with a letter)"
                : $"{text.Quoted} is not a plain PostgreSQL name: use lowercase letters, digits and '_', starting with a letter, at most 63");
            return null;
        }

        return value;
    }

    /// <summary>An address as a pg_hba CIDR range: 10.0.0.5 → 10.0.0.5/32; a range is kept; null when neither.</summary>
    public static string? Cidr(string text)
    {
        var parts = text.Split('/');
        if (parts.Length > 2 || !IPAddress.TryParse(parts[0], out var ip))
        {
            return null;
        }

        var max = ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? 128 : 32;
        if (parts.Length == 1)
        {
            return $"{ip}/{max}";
        }

        return int.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var bits) && bits >= 0 && bits <= max ? $"{ip}/{bits}" : null;
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}\\z")]
    private static partial Regex PgIdentifier();

    [GeneratedRegex("^[A-Za-z0-9.:_-]+\\z")]
    private static partial Regex HostName();
}
