namespace Hoist.Serve.Config;

using Hoist.Config;
using Hoist.Config.Loading;

/// <summary>Loads what <c>hoist serve</c> runs by: a uWSGI-style <c>.ini</c>, or the <c>serve:</c> section of a hoist.yml.</summary>
internal static class ServeConfigLoader
{
    public const string Example = "serve: { http_socket: 127.0.0.1:8000, command: dotnet MyApp.dll }";

    /// <summary><paramref name="path"/> ending in .ini is read as an ini; anything else as hoist.yml (or a folder holding one).</summary>
    public static ServeConfigResult Load(string path, IReadOnlyDictionary<string, string> environment)
    {
        if (path.EndsWith(".ini", StringComparison.OrdinalIgnoreCase))
        {
            return ServeIni.Load(path, environment);
        }

        var file = Directory.Exists(path) ? Path.Combine(path, ConfigLoader.DefaultFileName) : path;
        var full = Path.GetFullPath(file);
        var text = ServeFile.Read(file, full, out var error);
        return text is null ? ServeConfigResult.Failed(error!) : LoadYaml(text, file, full, environment);
    }

    /// <summary>
    /// Reads only <c>serve:</c>, <c>python:</c> (and <c>secrets:</c>, which it may not print) from hoist.yml text: on a web host
    /// the deploy settings need not make sense, so they are not checked here.
    /// </summary>
    public static ServeConfigResult LoadYaml(
        string text, string displayPath, string fullPath, IReadOnlyDictionary<string, string> environment)
    {
        var root = YamlDocument.Parse(text, displayPath, out var error);
        if (root is null)
        {
            return ServeConfigResult.Failed(error!);
        }

        var reader = new NodeReader(displayPath, environment);
        var map = reader.Mapping(root, "", "a mapping of settings (serve: ...)", keys: null);
        if (map is null)
        {
            return ServeConfigResult.Failed(reader.RedactedErrors());
        }

        if (Nodes.Optional(map, "serve") is not { } serve)
        {
            var where = Nodes.Find(map, "serve")?.Key ?? root;
            return ServeConfigResult.Failed(new ConfigError(
                displayPath, (int)where.Start.Line, (int)where.Start.Column, "serve", $"no serve settings; add them, e.g. '{Example}', or pass an .ini file"));
        }

        EnvReader.ReadSecrets(reader, Nodes.Optional(map, "secrets"));
        var paths = new LocalPaths(Path.GetDirectoryName(fullPath) ?? fullPath, environment.GetValueOrDefault("HOME"));
        // python: { venv: true } names the venv the workers run, as it does when hoist setup writes serve.ini.
        var python = PythonReader.Read(reader, Nodes.Optional(map, "python"));
        var config = ServeReader.Read(new LoadContext(reader, paths, environment, root), serve, fullPath, python);
        return ServeConfigResult.From(config, reader.RedactedErrors());
    }
}
