namespace Hoist.Serve.Config;

using Hoist.Config;

/// <summary>Collects every problem in one serve config file, so all of them are reported at once, and its warnings.</summary>
internal sealed class ServeErrors(string file)
{
    private readonly List<ConfigError> errors = [];
    private readonly List<ConfigError> warnings = [];

    public int Count => errors.Count;

    /// <summary>The errors in file order.</summary>
    public IReadOnlyList<ConfigError> All => errors.OrderBy(e => e.File != file).ThenBy(e => e.Line).ThenBy(e => e.Column).ToList();

    public void Add(SettingSite site, string message) =>
        errors.Add(new ConfigError(site.File ?? file, site.Line, site.Column, site.Path, message));

    public void Add(int line, int column, string path, string message) =>
        errors.Add(new ConfigError(file, line, column, path, message));

    /// <summary>What loads but is worth saying (a key taken as a placeholder nothing uses), in file order.</summary>
    public IReadOnlyList<ConfigError> Warnings => warnings.OrderBy(w => w.Line).ThenBy(w => w.Column).ToList();

    public void Warn(int line, int column, string path, string message) =>
        warnings.Add(new ConfigError(file, line, column, path, message));
}
