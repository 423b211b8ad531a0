namespace Hoist.Tests.Support;

/// <summary>
/// Compares rendered text with a reviewed file under tests/Hoist.Tests/Golden. Set HOIST_UPDATE_GOLDEN=1 to
/// rewrite the files, then review the diff before committing.
/// </summary>
internal static class Golden
{
    public static string RepoRoot { get; } = FindRoot();

    /// <summary>Compares with the golden file; the per-run marker nonce is written as a placeholder.</summary>
    public static void Match(string name, string actual)
    {
        actual = actual.Replace(Hoist.Shell.Marker.Prefix, Hoist.Shell.Marker.Placeholder, StringComparison.Ordinal);
        var path = Path.Combine(RepoRoot, "tests", "Hoist.Tests", "Golden", name);
        if (Environment.GetEnvironmentVariable("HOIST_UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
        }

        Assert.True(File.Exists(path), $"golden file {path} is missing; run the tests with HOIST_UPDATE_GOLDEN=1 and review it");
        Assert.Equal(File.ReadAllText(path), actual);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Hoist.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Hoist.slnx not found above " + AppContext.BaseDirectory);
    }
}
