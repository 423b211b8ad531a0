namespace Hoist.Tests.Support;

/// <summary>
/// Compares rendered text with a reviewed file under tests/Hoist.Tests/Golden. Set HOIST_UPDATE_GOLDEN=1 to
/// rewrite the files, then review the diff before committing.
/// </summary>
internal static class Golden
{
    /// <summary>Compares with the golden file; the per-run marker nonce is written as a placeholder.</summary>
    public static void Match(string name, string actual)
    {
        actual = actual.Replace(Hoist.Shell.Marker.Prefix, Hoist.Shell.Marker.Placeholder, StringComparison.Ordinal);
        var path = Path.Combine(SourceTree.Root, "tests", "Hoist.Tests", "Golden", name);
        if (Environment.GetEnvironmentVariable("HOIST_UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
        }

        Assert.True(File.Exists(path), $"golden file {path} is missing; run the tests with HOIST_UPDATE_GOLDEN=1 and review it");
        Assert.Equal(File.ReadAllText(path), actual);
    }
}
