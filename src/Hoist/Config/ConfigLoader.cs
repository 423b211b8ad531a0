namespace Hoist.Config;

using Hoist.Config.Loading;

/// <summary>Reads hoist.yml (and a destination's overlay over it) into a <see cref="HoistConfig"/>, reporting every error at once.</summary>
internal static class ConfigLoader
{
    public const string DefaultFileName = "hoist.yml";

    /// <summary>
    /// Loads a file; <paramref name="path"/> may also name the folder that holds hoist.yml. With
    /// <paramref name="destination"/>, the overlay beside it (<see cref="Destination.OverlayFile"/>) is merged over it.
    /// </summary>
    public static ConfigResult Load(string path, IReadOnlyDictionary<string, string> environment, string? destination = null)
    {
        if (destination is not null && Destination.Problem(destination) is { } problem)
        {
            return ConfigResult.Failed(new ConfigError("-d/--destination", 0, 0, "", problem));
        }

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

        ConfigOverlay? overlay = null;
        if (destination is not null)
        {
            var overlayFile = Destination.OverlayFile(file, destination);
            var overlayFull = Path.GetFullPath(overlayFile);
            if (Directory.Exists(overlayFull))
            {
                return ConfigResult.Failed(new ConfigError(overlayFile, 0, 0, "", $"is a folder; -d {destination} reads the file {Path.GetFileName(overlayFile)}"));
            }

            if (!File.Exists(overlayFull))
            {
                return ConfigResult.Failed(new ConfigError(overlayFile, 0, 0, "",
                    $"not found: -d {destination} merges {Path.GetFileName(overlayFile)} over {Path.GetFileName(full)}, from the same folder; " +
                    $"create it with the settings that differ in {destination} (see examples/hoist.example.yml), or leave out -d"));
            }

            var overlayText = ConfigFile.Read(overlayFull, overlayFile, out readError, allowEmpty: true);
            if (overlayText is null)
            {
                return ConfigResult.Failed(readError!);
            }

            overlay = new ConfigOverlay(destination, overlayText, overlayFile, overlayFull);
        }

        return LoadText(text, file, folder, environment, full, overlay);
    }

    /// <summary>
    /// Loads config text. Errors name <paramref name="displayPath"/> (or the overlay's, for what it wrote); relative
    /// paths in the config are resolved against <paramref name="baseDirectory"/>, as they would be against the file's folder.
    /// </summary>
    public static ConfigResult LoadText(
        string text, string displayPath, string baseDirectory, IReadOnlyDictionary<string, string> environment, string? fullPath = null,
        ConfigOverlay? overlay = null)
    {
        var root = YamlDocument.Parse(text, displayPath, out var error);
        if (root is null)
        {
            return ConfigResult.Failed(error!);
        }

        var origins = new NodeOrigins(displayPath);
        var reader = new NodeReader(displayPath, environment, origins);
        if (overlay is not null)
        {
            var top = YamlDocument.Parse(overlay.Text, overlay.DisplayPath, out error, allowEmpty: true);
            if (top is null)
            {
                return ConfigResult.Failed(error!);
            }

            origins.AddFile(top, overlay.DisplayPath);
            root = OverlayMerge.Merge(reader, origins, root, top, Path.GetFileName(displayPath));
        }

        var configPath = fullPath ?? Path.GetFullPath(displayPath, Path.GetFullPath(baseDirectory));
        var paths = new LocalPaths(baseDirectory, environment.GetValueOrDefault("HOME"));
        var config = HoistConfigReader.Read(reader, paths, environment, root, configPath);
        return reader.Errors.Count == 0 && config is not null
            ? ConfigResult.Ok(overlay is null ? config : config with { Destination = overlay.Destination, OverlayPath = overlay.FullPath })
            : ConfigResult.Failed(reader.RedactedErrors());
    }
}
