namespace Hoist.Config;

using Hoist.Config.Loading;

/// <summary>Reads hoist.yml into a <see cref="HoistConfig"/>, reporting every error at once.</summary>
internal static class ConfigLoader
{
    public const string DefaultFileName = "hoist.yml";

    /// <summary>Loads a file; <paramref name="path"/> may also name the folder that holds hoist.yml.</summary>
    public static ConfigResult Load(string path, IReadOnlyDictionary<string, string> environment)
    {
        var inFolder = Directory.Exists(path) ? Path.Combine(path, DefaultFileName) : null;
        if (inFolder is not null && !Path.Exists(inFolder))
        {
            return ConfigResult.Failed(new ConfigError(path, 0, 0, "", $"is a folder with no {DefaultFileName} in it; pass -c with the config file itself"));
        }

        var file = path.Length == 0 ? DefaultFileName : inFolder ?? path;
        var full = Path.GetFullPath(file);
        var folder = Path.GetDirectoryName(full) ?? full;
        if (!File.Exists(full))
        {
            var name = Path.GetFileName(full);
            return ConfigResult.Failed(new ConfigError(file, 0, 0, "", $"'{name}' not found in {folder}; pass -c FILE to use another file"));
        }

        var text = ConfigFile.Read(full, file, out var readError);
        if (text is null)
        {
            return ConfigResult.Failed(readError!);
        }

        return LoadText(text, file, folder, environment, full);
    }

    /// <summary>
    /// Loads config text. Errors name <paramref name="displayPath"/>; relative paths in the config are
    /// resolved against <paramref name="baseDirectory"/>, as they would be against the file's folder.
    /// </summary>
    public static ConfigResult LoadText(
        string text, string displayPath, string baseDirectory, IReadOnlyDictionary<string, string> environment, string? fullPath = null)
    {
        var root = YamlDocument.Parse(text, displayPath, out var error);
        if (root is null)
        {
            return ConfigResult.Failed(error!);
        }

        var reader = new NodeReader(displayPath, environment);
        var configPath = fullPath ?? Path.GetFullPath(displayPath, Path.GetFullPath(baseDirectory));
        var paths = new LocalPaths(baseDirectory, environment.GetValueOrDefault("HOME"));
        var config = HoistConfigReader.Read(reader, paths, environment, root, configPath);
        return reader.Errors.Count == 0 && config is not null
            ? ConfigResult.Ok(config)
            : ConfigResult.Failed(reader.RedactedErrors());
    }
}
