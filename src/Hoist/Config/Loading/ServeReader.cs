namespace Hoist.Config.Loading;

using Hoist.Serve.Config;
using YamlDotNet.RepresentationModel;

/// <summary>
/// Reads hoist.yml's <c>serve:</c>: the settings of a uWSGI-style ini, with '_' for '-' and <c>env</c> as a mapping,
/// checked by the same <see cref="ServeConfigBuilder"/> as the ini.
/// </summary>
internal static class ServeReader
{
    /// <param name="python">hoist.yml's <c>python:</c>: with <c>venv: true</c>, a WSGI app's workers run the release's
    /// venv (<c>venv</c> in chdir) unless <c>serve.venv</c> names another.</param>
    public static ServeConfig? Read(LoadContext context, YamlNode node, string configPath, PythonConfig? python = null)
    {
        var reader = context.Reader;
        var dialect = ServeDialect.Yaml;
        var keys = dialect.Keys;
        var map = reader.Mapping(node, "serve", "a mapping of settings such as { http_socket: 127.0.0.1:8000, command: ... }", keys);
        if (map is null)
        {
            return null;
        }

        var values = new List<ServeSetting>();
        var env = new List<ServeEnvEntry>();
        foreach (var (name, _, value) in Nodes.Entries(map).Where(e => keys.Contains(e.Name) && !Nodes.IsNull(e.Value)))
        {
            var path = NodePath.Child("serve", name);
            if (name == "env")
            {
                ReadEnv(reader, value, path, env);
            }
            else
            {
                values.Add(new ServeSetting(dialect.Canonical(name), reader.Text(value, path, "a single value"), Site(reader, value, path)));
            }
        }

        var misspelt = Nodes.Entries(map)
            .Where(e => !keys.Contains(e.Name))
            .Select(e => KeySuggestion.Closest(e.Name, keys))
            .OfType<string>()
            .Select(dialect.Canonical)
            .ToHashSet(StringComparer.Ordinal);
        var errors = new ServeErrors(reader.File);
        var settings = new ServeSettings(configPath, context.Paths, dialect, Site(reader, node, "serve"), values, env, misspelt);
        var config = ServeConfigBuilder.Build(settings, errors);
        foreach (var error in errors.All)
        {
            reader.Add(error);
        }

        return config is { App: WsgiApp { Venv: null } wsgi } && python is { Venv: true }
            ? config with { App = wsgi with { Venv = Path.Join(config.Chdir ?? Path.GetDirectoryName(configPath), PythonConfig.VenvFolder) } }
            : config;
    }

    private static void ReadEnv(NodeReader reader, YamlNode node, string path, List<ServeEnvEntry> env)
    {
        var map = reader.Mapping(node, path, "a mapping of NAME: value", keys: null);
        foreach (var (name, key, value) in map is null ? [] : Nodes.Entries(map))
        {
            var itemPath = NodePath.Child(path, name);
            env.Add(new ServeEnvEntry(name, reader.Text(value, itemPath, "a single value (quote it to keep it a string)"), Site(reader, key, itemPath)));
        }
    }

    private static SettingSite Site(NodeReader reader, YamlNode node, string path)
    {
        var (file, line, column) = reader.Where(node);
        return new(line, column, path) { File = file };
    }
}
