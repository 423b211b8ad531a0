namespace Hoist.Tests.Support;

/// <summary>The checkout the tests run from: the folder holding Hoist.slnx, above the test binaries.</summary>
internal static class SourceTree
{
    public static string Root { get; } = FindRoot();

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Hoist.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no Hoist.slnx above {AppContext.BaseDirectory}");
    }
}
