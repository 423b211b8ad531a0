namespace Hoist.Serve.Config;

using Hoist.Config.Loading;

/// <summary>
/// Reads a uWSGI-style ini (its <c>[uwsgi]</c> section) into a <see cref="ServeConfig"/>, reporting every error
/// at once. The reference is examples/serve.example.ini.
/// </summary>
internal static class ServeIni
{
    public static ServeConfigResult Load(string path, IReadOnlyDictionary<string, string> environment)
    {
        var full = Path.GetFullPath(path);
        var text = ServeFile.Read(path, full, out var error);
        return text is null ? ServeConfigResult.Failed(error!) : LoadText(text, path, full, environment);
    }

    /// <summary>
    /// Loads ini text. Errors name <paramref name="displayPath"/>; <c>%d</c>, <c>%n</c>, <c>%p</c> and relative
    /// paths come from <paramref name="fullPath"/>, as if the text were read from there.
    /// </summary>
    public static ServeConfigResult LoadText(
        string text, string displayPath, string fullPath, IReadOnlyDictionary<string, string> environment)
    {
        var errors = new ServeErrors(displayPath);
        var entries = IniParser.Parse(text, errors, out var sectionLine);
        if (sectionLine == 0)
        {
            errors.Add(1, 1, "", $"no [{IniParser.Section}] section; Hoist reads its settings from there (see examples/serve.example.ini)");
            return ServeConfigResult.Failed(errors.All);
        }

        var referenced = IniExpander.Referenced(entries);
        var expander = new IniExpander(fullPath, environment, errors);
        var firstLines = new Dictionary<string, int>(StringComparer.Ordinal);
        var values = new List<ServeSetting>();
        var env = new List<ServeEnvEntry>();
        var misspelt = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var value = expander.Expand(entry);
            var site = new SettingSite(entry.Line, entry.ValueColumn, entry.Key);
            if (entry.Key != "env" && !firstLines.TryAdd(entry.Key, entry.Line))
            {
                errors.Add(entry.Line, entry.KeyColumn, entry.Key, $"'{entry.Key}' is given twice (lines {firstLines[entry.Key]} and {entry.Line}); keep one");
            }

            if (entry.Key == "env")
            {
                AddEnv(env, value, site, errors);
            }
            else if (ServeKeys.IsKnown(entry.Key))
            {
                values.Add(new ServeSetting(entry.Key, value, site));
            }
            else if (referenced.Contains(entry.Key))
            {
                // A key of the file's own (project = myapp), used as %(project): uWSGI's placeholders.
            }
            else if (UwsgiKeys.Unsupported.Contains(entry.Key))
            {
                errors.Add(entry.Line, entry.KeyColumn, entry.Key, $"'{entry.Key}' is a uWSGI option Hoist does not implement; remove it (examples/serve.example.ini lists every key Hoist reads)");
            }
            else if (KeySuggestion.Closest(entry.Key, ServeKeys.All) is not null)
            {
                // Close to a key Hoist reads, and used by nothing: a typo, not a placeholder.
                misspelt.Add(KeySuggestion.Closest(entry.Key, ServeKeys.All)!);
                errors.Add(entry.Line, entry.KeyColumn, entry.Key, $"unknown key '{entry.Key}'; {KeySuggestion.Hint(entry.Key, ServeKeys.All)}");
            }
            else
            {
                // A key of the file's own that nothing uses (user-home = ..., as skeletons leave them): uWSGI takes it
                // as a placeholder, and so does Hoist, since it is close to no setting; but it is said, never silent.
                errors.Warn(entry.Line, entry.KeyColumn, entry.Key,
                    $"not a setting hoist serve knows; it is taken as a placeholder and used nowhere; remove it or use it as %({entry.Key})");
            }
        }

        var folder = Path.GetDirectoryName(fullPath) ?? fullPath;
        var settings = new ServeSettings(
            fullPath, new LocalPaths(folder, environment.GetValueOrDefault("HOME")), ServeDialect.Ini, new SettingSite(sectionLine, 1, ""), values, env, misspelt);
        var config = ServeConfigBuilder.Build(settings, errors);
        return ServeConfigResult.From(config, errors.All) with { Warnings = errors.Warnings };
    }

    /// <summary><c>env = NAME=value</c>; the value may itself contain '='.</summary>
    private static void AddEnv(List<ServeEnvEntry> env, ScalarText? text, SettingSite site, ServeErrors errors)
    {
        if (text is null)
        {
            return;
        }

        var equals = text.Value.IndexOf('=', StringComparison.Ordinal);
        if (equals < 0)
        {
            errors.Add(site, $"expected NAME=value, got {text.Quoted}");
            return;
        }

        env.Add(new ServeEnvEntry(text.Value[..equals].Trim(), text with { Value = text.Value[(equals + 1)..] }, site));
    }
}
