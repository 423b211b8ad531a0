namespace Hoist.Init;

/// <summary>
/// What detection sees of a project: its files' relative paths ('/'-separated, two levels deep at most) and the
/// start of any of them. Read from disk by <see cref="FromDisk"/>, or given in memory by tests.
/// </summary>
internal sealed class ProjectFiles(IReadOnlyList<string> paths, Func<string, string?> read)
{
    // Enough for a settings module or a package.json; detection never needs a whole large file.
    private const int ReadLimit = 64 * 1024;

    // Folders that hold what a build or a tool made, never the project's own entry points.
    private static readonly string[] Skipped = ["node_modules", "venv", ".venv", "bin", "obj", "publish", "__pycache__"];

    public IReadOnlyList<string> Paths { get; } = paths;

    public bool Has(string path) => Paths.Contains(path, StringComparer.Ordinal);

    /// <summary>The file's text (its first 64 KiB), or null when it is not there or cannot be read.</summary>
    public string? Read(string path) => Has(path) ? read(path) : null;

    /// <summary>The top-level entries that are not hidden (a folder counts through the files in it).</summary>
    public IEnumerable<string> Visible => Paths.Select(p => p.Split('/')[0]).Distinct(StringComparer.Ordinal).Where(n => !n.StartsWith('.'));

    public static ProjectFiles InMemory(IReadOnlyDictionary<string, string> files) =>
        new([.. files.Keys.Order(StringComparer.Ordinal)], path => files.GetValueOrDefault(path));

    public static ProjectFiles FromDisk(string folder)
    {
        var paths = new List<string>();
        foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos())
        {
            if (entry is DirectoryInfo dir && !entry.Name.StartsWith('.') && !Skipped.Contains(entry.Name) && entry.LinkTarget is null)
            {
                paths.AddRange(dir.EnumerateFileSystemInfos().Where(e => e is FileInfo).Select(e => entry.Name + "/" + e.Name));
                // An empty folder still counts as something in the project.
                paths.Add(entry.Name + "/");
            }
            else if (entry is FileInfo || entry is DirectoryInfo)
            {
                paths.Add(entry.Name);
            }
        }

        paths.Sort(StringComparer.Ordinal);
        return new ProjectFiles(paths, path => ReadStart(Path.Combine(folder, path)));
    }

    private static string? ReadStart(string file)
    {
        try
        {
            // Only a regular file with something in it: a link could lead anywhere, and a FIFO or device (length 0)
            // would block the read or never end.
            var info = new FileInfo(file);
            if (info.LinkTarget is not null || info.Length == 0)
            {
                return "";
            }

            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 4096, FileOptions.None);
            var buffer = new byte[ReadLimit];
            var length = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            return System.Text.Encoding.UTF8.GetString(buffer, 0, length);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
