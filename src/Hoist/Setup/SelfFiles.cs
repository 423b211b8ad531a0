namespace Hoist.Setup;

using System.Text.Json;

/// <summary>
/// The files that make up this hoist, to install on web hosts: a single-file hoist is itself; a framework-dependent
/// one (hoist.dll) is its app host, hoist.dll, its json files and the libraries hoist.deps.json names, and not
/// whatever else shares its folder (a test run's assemblies, say).
/// </summary>
internal static class SelfFiles
{
    /// <summary>Copies them into a new folder, for <see cref="Deploy.UploadArchive"/>; the caller deletes it.</summary>
    public static string Stage()
    {
        var stage = Directory.CreateTempSubdirectory("hoist-self-").FullName;
        foreach (var (source, name) in List())
        {
            File.Copy(source, Path.Combine(stage, name));
            File.SetUnixFileMode(Path.Combine(stage, name), File.GetUnixFileMode(source));
        }

        return stage;
    }

    private static IEnumerable<(string Source, string Name)> List()
    {
        var folder = AppContext.BaseDirectory;
        var deps = Path.Combine(folder, "hoist.deps.json");
        if (!File.Exists(Path.Combine(folder, "hoist.dll")) || !File.Exists(deps))
        {
            var self = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell where this hoist is");
            yield return (self, "hoist");
            yield break;
        }

        foreach (var name in new[] { "hoist", "hoist.dll", "hoist.deps.json", "hoist.runtimeconfig.json" })
        {
            yield return (Path.Combine(folder, name), name);
        }

        using var json = JsonDocument.Parse(File.ReadAllText(deps));
        var names = json.RootElement.GetProperty("targets").EnumerateObject().First().Value.EnumerateObject()
            .Where(library => library.Value.TryGetProperty("runtime", out _))
            .SelectMany(library => library.Value.GetProperty("runtime").EnumerateObject().Select(file => Path.GetFileName(file.Name)))
            .Where(name => name != "hoist.dll")
            .Distinct(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var path = Path.Combine(folder, name);
            if (File.Exists(path))
            {
                yield return (path, name);
            }
        }
    }
}
