namespace Hoist.Config.Loading;

using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

/// <summary>Reads the top level of hoist.yml, handing each section to its reader.</summary>
internal static partial class HoistConfigReader
{
    public const int DefaultKeepReleases = 5;

    public static readonly IReadOnlyList<string> Keys =
    [
        "app", "repo", "branch", "fetch", "upload", "deploy_to", "keep_releases", "hosts",
        "ssh", "shared", "local_build", "python", "build", "reload", "env", "secrets", "serve", "setup", "hooks", "migrate", "migrate_on",
        "deploy",
    ];

    /// <summary>serve:'s keys that are paths on the hosts (hoist serve reads them there, setup writes them into serve.ini).</summary>
    private static readonly string[] HostPathKeys = ["socket", "control_socket", "chdir", "wsgi_file", "env_file", "pidfile", "logto", "touch_reload"];

    /// <summary>
    /// This machine knows its own home, not a host's: '~/' in a path for other hosts would be expanded here and written
    /// into their serve.ini (a local host is this machine, where it means what it says).
    /// </summary>
    private static void RejectHomePaths(NodeReader reader, YamlMappingNode serve)
    {
        foreach (var (name, _, value) in Nodes.Entries(serve).Where(e => HostPathKeys.Contains(e.Name)))
        {
            if (value is YamlScalarNode { Value: { } text } && (text == "~" || text.StartsWith("~/", StringComparison.Ordinal)))
            {
                reader.Error(value, NodePath.Child("serve", name), $"'{text}' would be expanded on this machine, not on the hosts; write the absolute path on the hosts");
            }
        }
    }

    public static HoistConfig? Read(NodeReader reader, LocalPaths paths, IReadOnlyDictionary<string, string> environment, YamlNode root, string configPath)
    {
        var map = reader.Mapping(root, "", "a mapping of settings (app: ..., hosts: ...)", Keys);
        if (map is null)
        {
            return null;
        }

        var context = new LoadContext(reader, paths, environment, root);

        // Secrets first: every later scalar must know which variables it may not print.
        var secrets = EnvReader.ReadSecrets(reader, Nodes.Optional(map, "secrets"));
        var app = ReadApp(reader, map);
        var source = SourceReader.Read(context, map);
        var deployTo = ReadDeployTo(reader, Nodes.Optional(map, "deploy_to"), app);
        var keep = Nodes.Optional(map, "keep_releases") is { } keepNode
            ? reader.Integer(keepNode, "keep_releases", 1)
            : DefaultKeepReleases;
        var ssh = SshReader.Read(context, Nodes.Optional(map, "ssh"));
        var hostsNode = reader.Required(map, "", "hosts", "hosts: { web: [203.0.113.10] }");
        var roles = hostsNode is null ? [] : HostsReader.Read(reader, hostsNode, ssh);
        var shared = SharedReader.Read(reader, Nodes.Optional(map, "shared"));
        var build = ReadCommands(reader, Nodes.Optional(map, "build"), "build");
        var localBuild = ReadCommands(reader, Nodes.Optional(map, "local_build"), "local_build");
        var reload = ReadReload(reader, Nodes.Optional(map, "reload"));
        var migrate = MigrateReader.Read(reader, map, roles, ssh);
        var deploy = DeployReader.Read(reader, Nodes.Optional(map, "deploy"));
        var env = EnvReader.ReadEnv(context, Nodes.Optional(map, "env"), secrets);
        var python = PythonReader.Read(reader, Nodes.Optional(map, "python"));
        var serve = Nodes.Optional(map, "serve") is { } serveNode ? ServeReader.Read(context, serveNode, configPath, python) : null;
        if (Nodes.Optional(map, "serve") is YamlMappingNode serveMap && roles.SelectMany(r => r.Hosts).Any(h => !h.IsLocal))
        {
            RejectHomePaths(reader, serveMap);
        }
        var hooks = HooksReader.Read(reader, Nodes.Optional(map, "hooks"));
        var setup = Nodes.Optional(map, "setup") is { } setupNode ? SetupReader.Read(reader, paths, setupNode, app, roles, shared, secrets, env) : null;

        if (reader.Errors.Count > 0 || app is null || source is null || deployTo is null || keep is null)
        {
            return null;
        }

        return new HoistConfig(app, source, deployTo, keep.Value, roles, ssh, shared, build, reload, env, configPath) { Serve = serve, LocalBuild = localBuild, Setup = setup, Hooks = hooks, Migrate = migrate, Deploy = deploy, Python = python };
    }

    private static string? ReadApp(NodeReader reader, YamlMappingNode map)
    {
        var node = reader.Required(map, "", "app", "app: myproject");
        var text = node is null ? null : reader.Text(node, "app", "an app name such as myproject");
        if (text is null || AppName().IsMatch(text.Value))
        {
            return text?.Value;
        }

        var slug = Slug().Replace(text.Value.ToLowerInvariant(), "-").Trim('-', '.', '_');
        var hint = AppName().IsMatch(slug) ? $"; did you mean '{slug}'?" : "";
        reader.Error(node!, "app", $"app name {text.Quoted} is invalid: use lowercase letters, digits, '.', '_' and '-', starting with a letter or digit{hint}");
        return null;
    }

    /// <summary>Kept as written: the host's shell expands <c>~</c>, for the host's user.</summary>
    private static string? ReadDeployTo(NodeReader reader, YamlNode? node, string? app)
    {
        if (node is null)
        {
            return $"~/{app ?? "app"}";
        }

        var text = reader.Text(node, "deploy_to", "a folder path");
        if (text is null)
        {
            return null;
        }

        if (text.Value.StartsWith('/') || (text.Value.StartsWith("~/", StringComparison.Ordinal) && text.Value.Length > 2))
        {
            var problem = DeployToRule.Problem(text.Value, app ?? "app");
            if (problem is null)
            {
                return text.Value;
            }

            reader.Error(node, "deploy_to", problem);
            return null;
        }

        var hint = text.Value.StartsWith('~') ? "" : $"; did you mean '~/{text.Value}'?";
        reader.Error(node, "deploy_to", $"{text.Quoted} must be an absolute path or start with '~/'{hint}");
        return null;
    }

    /// <summary>One shell command or a list of them, each checked with bash -n (build, local_build, migrate).</summary>
    internal static IReadOnlyList<string> ReadCommands(NodeReader reader, YamlNode? node, string key)
    {
        var commands = new List<string>();
        foreach (var (item, path) in node is null ? [] : reader.Items(node, key, "a shell command or a list of them"))
        {
            var text = reader.Text(item, path, "a shell command");
            if (text is not null && text.Value.Trim().Length == 0)
            {
                reader.Error(item, path, "empty command; remove it");
            }
            else if (text is not null && ShellSyntax.Problem(text.Value) is { } problem)
            {
                reader.Error(item, path, $"shell syntax error in '{text.Value}': {problem}");
            }
            else if (text is not null)
            {
                commands.Add(text.Value);
            }
        }

        return commands;
    }

    private static string? ReadReload(NodeReader reader, YamlNode? node)
    {
        var text = node is null ? null : reader.Text(node, "reload", "one shell command");
        if (text is null || text.Value.Trim().Length == 0)
        {
            return null;
        }

        if (ShellSyntax.Problem(text.Value) is { } problem)
        {
            reader.Error(node!, "reload", $"shell syntax error in '{text.Value}': {problem}");
            return null;
        }

        return text.Value;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_.-]*\\z")]
    private static partial Regex AppName();

    [GeneratedRegex("[^a-z0-9_.-]+")]
    private static partial Regex Slug();
}
