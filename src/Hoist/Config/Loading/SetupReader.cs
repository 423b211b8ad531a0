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

    private static readonly string[] ReservedUsers = ["root", "www-data", "postgres", "nobody", "daemon", "bin", "sys", "sync", "mail", "sshd", "backup"];
    private static readonly string[] Keys = ["user", "packages", "hoist_path", "service", "database", "nginx", "secrets", "firewall", "tls"];

    public static SetupConfig? Read(NodeReader reader, LocalPaths paths, YamlNode node, string? app, IReadOnlyList<RoleConfig> roles, IReadOnlyList<string> shared, IReadOnlyList<SecretName> configSecrets, IReadOnlyList<EnvVar> env)
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
        var database = DatabaseSetupReader.Read(reader, Nodes.Optional(map, "database"), app, roles, node);
        var nginx = NginxSetupReader.Read(reader, Nodes.Optional(map, "nginx"), shared);
        var secrets = SetupSecretsReader.Read(reader, Nodes.Optional(map, "secrets"), configSecrets, env);
        var firewall = FirewallReader.Read(reader, Nodes.Optional(map, "firewall"), roles);
        var tlsNode = Nodes.Optional(map, "tls");
        var tls = TlsSetupReader.Read(reader, paths, tlsNode, roles);
        if (tls is not null && nginx is not null && nginx.Listen != 80)
        {
            // The CA fetches the challenge from port 80 alone (RFC 8555 §8.3): setup's local probe of another port passes,
            // then every certbot run fails at the CA and counts towards its rate limit of failed validations.
            var listen = Nodes.Optional(map, "nginx") is YamlMappingNode n && Nodes.Optional(n, "listen") is { } l ? l : tlsNode!;
            reader.Error(listen, "setup.nginx.listen",
                $"{nginx.Listen} with setup.tls: the CA checks HTTP-01 on port 80 only, so the certificate could never be issued; remove setup.nginx.listen (80), or remove setup.tls and terminate TLS in front of nginx");
            tls = null;
        }

        return user is null || service is null || nginx is null || firewall is null || (tlsNode is not null && tls is null)
            ? null
            : new SetupConfig(user, packages, hoistPath, service.Value, database, nginx) { Secrets = secrets, Firewall = firewall.Value, Tls = tls };
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

    private static T? Invalid<T>(NodeReader reader, YamlNode node, string path, string message)
        where T : struct
    {
        reader.Error(node, path, message);
        return null;
    }

    [GeneratedRegex("^[a-z_][a-z0-9_-]{0,31}\\z")]
    private static partial Regex UnixUser();

    [GeneratedRegex("^[a-z0-9][a-z0-9+.-]+\\z")]
    private static partial Regex PackageName();

    [GeneratedRegex("^[A-Za-z0-9._/~@+-]+\\z")]
    internal static partial Regex SafePath();
}
