namespace Hoist.Config.Loading;

using System.Net;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

/// <summary>
/// Reads <c>setup:</c>. Values that end up in nginx's, systemd's or PostgreSQL's files are checked for what could
/// change their meaning there (';', braces, quotes, spaces); whether nginx likes a value is left to <c>nginx -t</c>.
/// </summary>
internal static partial class SetupReader
{
    public const string DefaultHoistPath = "/usr/local/bin/hoist";
    public const string DefaultBodySize = "10m";
    public const int DefaultPostgresPort = 5432;

    private static readonly string[] ReservedUsers = ["root", "www-data", "postgres", "nobody", "daemon", "bin", "sys", "sync", "mail", "sshd", "backup"];
    private static readonly string[] Keys = ["user", "packages", "hoist_path", "service", "database", "nginx"];
    private static readonly string[] DatabaseKeys = ["name", "owner", "user", "port", "host", "allow_from"];
    private static readonly string[] NginxKeys = ["server_name", "listen", "locations", "client_max_body_size", "remove_default_site"];

    public static SetupConfig? Read(NodeReader reader, YamlNode node, string? app, IReadOnlyList<RoleConfig> roles, IReadOnlyList<string> shared)
    {
        var map = reader.Mapping(node, "setup", "a mapping such as { user: myproject, nginx: { server_name: example.com } }", Keys);
        if (map is null || app is null)
        {
            return null;
        }

        var user = ReadUser(reader, map, app);
        var packages = ReadPackages(reader, Nodes.Optional(map, "packages"), roles);
        var hoistPath = ReadAbsolutePath(reader, Nodes.Optional(map, "hoist_path"), "setup.hoist_path") ?? DefaultHoistPath;
        var service = ReadService(reader, Nodes.Optional(map, "service"));
        var database = ReadDatabase(reader, Nodes.Optional(map, "database"), app, roles, node);
        var nginx = ReadNginx(reader, Nodes.Optional(map, "nginx"), shared);
        return user is null || service is null || nginx is null ? null : new SetupConfig(user, packages, hoistPath, service.Value, database, nginx);
    }

    private static string? ReadUser(NodeReader reader, YamlMappingNode map, string app)
    {
        var node = Nodes.Optional(map, "user");
        var text = node is null ? null : reader.Text(node, "setup.user", "a Unix user name");
        if (node is not null && text is null)
        {
            return null;
        }

        var user = text?.Value ?? app;
        if (ReservedUsers.Contains(user))
        {
            reader.Error(node ?? map, "setup.user", $"the app must not run as {user}, a system account; name a user of its own such as 'myproject' (Hoist creates it)");
            return null;
        }

        if (!UnixUser().IsMatch(user))
        {
            reader.Error(node ?? map, "setup.user", text is null
                ? $"the app name '{app}' is not a valid Unix user name; set setup.user (lowercase letters, digits, '_' and '-', starting with a letter)"
                : $"{text.Quoted} is not a valid Unix user name: use lowercase letters, digits, '_' and '-', starting with a letter or '_', at most 32");
            return null;
        }

        return user;
    }

    private static Dictionary<string, IReadOnlyList<string>> ReadPackages(NodeReader reader, YamlNode? node, IReadOnlyList<RoleConfig> roles)
    {
        var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var map = node is null ? null : reader.Mapping(node, "setup.packages", "a mapping of role to packages, such as { web: [python3-flask] }", keys: null);
        foreach (var (role, key, value) in map is null ? [] : Nodes.Entries(map))
        {
            var path = NodePath.Child("setup.packages", role);
            if (roles.All(r => r.Name != role))
            {
                reader.Error(key, path, $"no role '{role}' in hosts; {KeySuggestion.Hint(role, roles.Select(r => r.Name).ToList())}");
                continue;
            }

            var names = new List<string>();
            foreach (var (item, itemPath) in reader.Items(value, path, "a package name or a list of them"))
            {
                var text = reader.Text(item, itemPath, "a Debian package name");
                if (text is not null && !PackageName().IsMatch(text.Value))
                {
                    reader.Error(item, itemPath, $"{text.Quoted} is not a Debian package name");
                }
                else if (text is not null)
                {
                    names.Add(text.Value);
                }
            }

            result[role] = names;
        }

        return result;
    }

    private static ServiceMode? ReadService(NodeReader reader, YamlNode? node)
    {
        var text = node is null ? null : reader.Text(node, "setup.service", "auto, systemd or direct");
        return text?.Value switch
        {
            null when node is null => ServiceMode.Auto,
            null => null,
            "auto" => ServiceMode.Auto,
            "systemd" => ServiceMode.Systemd,
            "direct" => ServiceMode.Direct,
            _ => Invalid<ServiceMode>(reader, node!, "setup.service", $"{text.Quoted} is not a service mode; use auto (systemd where it runs, else direct), systemd or direct"),
        };
    }

    private static DatabaseSetup? ReadDatabase(NodeReader reader, YamlNode? node, string app, IReadOnlyList<RoleConfig> roles, YamlNode setupNode)
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

        var map = node is null ? null : reader.Mapping(node, "setup.database", "a mapping such as { name: myproject }", DatabaseKeys);
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

    private static NginxSetup? ReadNginx(NodeReader reader, YamlNode? node, IReadOnlyList<string> shared)
    {
        var map = node is null ? null : reader.Mapping(node, "setup.nginx", "a mapping such as { server_name: example.com }", NginxKeys);
        var serverName = map is not null && Nodes.Optional(map, "server_name") is { } nameNode ? NginxWords(reader, nameNode, "setup.nginx.server_name") : "_";
        var listen = map is not null && Nodes.Optional(map, "listen") is { } listenNode ? reader.Integer(listenNode, "setup.nginx.listen", 1, 65535) : 80;
        var bodySize = DefaultBodySize;
        if (map is not null && Nodes.Optional(map, "client_max_body_size") is { } sizeNode)
        {
            var text = reader.Text(sizeNode, "setup.nginx.client_max_body_size", "a size such as 10m");
            bodySize = text is not null && Size().IsMatch(text.Value) ? text.Value : null;
            if (text is not null && bodySize is null)
            {
                reader.Error(sizeNode, "setup.nginx.client_max_body_size", $"{text.Quoted} is not a size; write a number with k, m or g, such as 10m");
            }
        }

        var removeDefault = map is not null && Nodes.Optional(map, "remove_default_site") is { } removeNode ? reader.Boolean(removeNode, "setup.nginx.remove_default_site") : true;
        var locations = ReadLocations(reader, map is null ? null : Nodes.Optional(map, "locations"), shared);
        return serverName is null || listen is null || bodySize is null || removeDefault is null || locations is null
            ? null
            : new NginxSetup(serverName, listen.Value, locations, bodySize, removeDefault.Value);
    }

    /// <summary>URL prefix to folder; by default /static/ from the release and, when media is shared, /media/ from shared/.</summary>
    private static IReadOnlyList<KeyValuePair<string, string>>? ReadLocations(NodeReader reader, YamlNode? node, IReadOnlyList<string> shared)
    {
        if (node is null)
        {
            List<KeyValuePair<string, string>> defaults = [new("/static/", "current/static")];
            if (shared.Contains("media"))
            {
                defaults.Add(new("/media/", "shared/media"));
            }

            return defaults;
        }

        var map = reader.Mapping(node, "setup.nginx.locations", "a mapping of URL prefix to folder, such as { /static/: current/static }", keys: null);
        if (map is null)
        {
            return null;
        }

        var result = new List<KeyValuePair<string, string>>();
        var ok = true;
        foreach (var (prefix, key, value) in Nodes.Entries(map))
        {
            var path = NodePath.Child("setup.nginx.locations", prefix);
            if (!UrlPrefix().IsMatch(prefix))
            {
                reader.Error(key, path, $"'{prefix}' is not a URL prefix; write it as /static/ (starting and ending with '/')");
                ok = false;
                continue;
            }

            var folder = reader.Text(value, path, "a folder");
            if (folder is null || !SafePath().IsMatch(folder.Value) || folder.Value.Split('/').Contains(".."))
            {
                if (folder is not null)
                {
                    reader.Error(value, path, $"{folder.Quoted} is not a plain folder path (no spaces, quotes, ';', braces or '..')");
                }

                ok = false;
                continue;
            }

            result.Add(new(prefix, folder.Value));
        }

        return ok ? result : null;
    }

    /// <param name="at">Where an error about a default name points (the database section, or setup:).</param>
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

    private static string? NginxWords(NodeReader reader, YamlNode node, string path)
    {
        var text = reader.Text(node, path, "one or more names separated by spaces");
        if (text is not null && !NginxWordList().IsMatch(text.Value))
        {
            reader.Error(node, path, $"{text.Quoted} can only hold host names separated by spaces (letters, digits, '.', '-', '_', '*', '~'); ';', braces and quotes would change nginx's config");
            return null;
        }

        return text?.Value;
    }

    private static string? ReadAbsolutePath(NodeReader reader, YamlNode? node, string path)
    {
        var text = node is null ? null : reader.Text(node, path, "an absolute path");
        if (text is not null && (!text.Value.StartsWith('/') || !SafePath().IsMatch(text.Value)))
        {
            reader.Error(node!, path, $"{text.Quoted} must be an absolute path without spaces or quotes, such as {DefaultHoistPath}");
            return null;
        }

        return text?.Value;
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

    private static T? Invalid<T>(NodeReader reader, YamlNode node, string path, string message)
        where T : struct
    {
        reader.Error(node, path, message);
        return null;
    }

    [GeneratedRegex("^[a-z_][a-z0-9_-]{0,31}$")]
    private static partial Regex UnixUser();

    [GeneratedRegex("^[a-z0-9][a-z0-9+.-]+$")]
    private static partial Regex PackageName();

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex PgIdentifier();

    [GeneratedRegex("^[A-Za-z0-9.:_-]+$")]
    private static partial Regex HostName();

    [GeneratedRegex("^[A-Za-z0-9.*_~-]+( [A-Za-z0-9.*_~-]+)*$")]
    private static partial Regex NginxWordList();

    [GeneratedRegex("^[0-9]+[kKmMgG]?$")]
    private static partial Regex Size();

    [GeneratedRegex("^/([A-Za-z0-9._~-]+/)*$")]
    private static partial Regex UrlPrefix();

    [GeneratedRegex("^[A-Za-z0-9._/~@+-]+$")]
    private static partial Regex SafePath();
}
