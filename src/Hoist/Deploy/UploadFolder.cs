namespace Hoist.Deploy;

using System.Globalization;
using Hoist.Core;
using Hoist.Output;
using Hoist.Serve;

/// <summary>
/// What an upload folder would send, found by walking it with lstat only (no file is opened, so a FIFO cannot block
/// and a dry run reads no contents): regular files, folders and links. Special files are skipped, links that leave
/// the folder are flagged, and setuid, setgid and sticky bits are dropped, each with a line saying so.
/// </summary>
internal sealed class UploadFolder
{
    private const UnixFileMode SpecialBits = UnixFileMode.SetUser | UnixFileMode.SetGroup | UnixFileMode.StickyBit;

    // Enough to see what is going on; a folder of 10 000 sockets should not print 10 000 lines.
    private const int ShownPerKind = 20;

    private readonly List<string> warnings = [];
    private readonly List<string> notes = [];

    private UploadFolder(string root) => Root = root;

    public string Root { get; }

    public List<UploadEntry> Entries { get; } = [];

    public IReadOnlyList<string> Warnings => warnings;

    public IReadOnlyList<string> Notes => notes;

    public int Files => Entries.Count(e => e.Kind == UploadEntryKind.File);

    public long Bytes => Entries.Where(e => e.Kind == UploadEntryKind.File).Sum(e => e.Size);

    /// <summary>The dry run's line: what would be sent, counted without reading a byte of it.</summary>
    public string Summary =>
        $"# upload: {Files} files ({Size(Bytes)}), {Entries.Count(e => e.Kind == UploadEntryKind.Link)} links, " +
        $"{Entries.Count(e => e.Kind == UploadEntryKind.Folder)} folders from {Root}, sent as one tar to each host";

    public static UploadFolder Scan(string root)
    {
        var folder = new UploadFolder(Path.TrimEndingDirectorySeparator(Path.GetFullPath(root)));
        try
        {
            folder.Walk(folder.Root);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new HoistException($"cannot read the upload folder {folder.Root}: {e.Message}; make everything in it readable by you, or leave it out of the folder");
        }

        return folder;
    }

    /// <summary>Prints the warnings and notes, a limited number of each kind.</summary>
    public void Report(IReporter reporter)
    {
        Show(warnings, reporter.Warn);
        Show(notes, line => reporter.Info("note: " + line));
    }

    public static string Size(long bytes) => bytes switch
    {
        < 1L << 10 => $"{bytes} B",
        < 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} KiB"),
        < 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:0.0} MiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1073741824.0:0.0} GiB"),
    };

    private static void Show(List<string> lines, Action<string> write)
    {
        foreach (var line in lines.Take(ShownPerKind))
        {
            write(line);
        }

        if (lines.Count > ShownPerKind)
        {
            write($"... and {lines.Count - ShownPerKind} more like these");
        }
    }

    /// <summary>Files, links and folders in a stable order; <c>.git</c> is never uploaded.</summary>
    private void Walk(string path)
    {
        var children = new DirectoryInfo(path).EnumerateFileSystemInfos()
            .Where(e => e.Name != ".git")
            .OrderBy(e => e.Name, StringComparer.Ordinal);
        foreach (var child in children)
        {
            var name = Path.GetRelativePath(Root, child.FullName).Replace('\\', '/');
            if (Native.Lstat(child.FullName) is not { } facts)
            {
                continue; // removed while we looked: it was never part of the upload
            }

            var mode = (UnixFileMode)(facts.Mode & 0xFFF);
            if (facts.IsLink)
            {
                var target = child.LinkTarget ?? "";
                if (UploadLinkCheck.Leaves(Root, name, target))
                {
                    warnings.Add($"{Shown(name)} -> {Shown(target)} points outside the upload folder: on the hosts it leads to their own files there (or nowhere)");
                }

                Entries.Add(new UploadEntry(child.FullName, name, UploadEntryKind.Link, mode, 0, target));
                continue;
            }

            if (!facts.IsRegular && !facts.IsDirectory)
            {
                warnings.Add($"skipped {Shown(name)}: {facts.Kind} (only files, folders and links are uploaded)");
                continue;
            }

            if ((mode & SpecialBits) != 0)
            {
                notes.Add($"{Shown(name)}: {Bits(mode & SpecialBits)} removed (an upload never sends these; set them in a build step if the app needs them)");
                mode &= ~SpecialBits;
            }

            if (facts.IsDirectory)
            {
                Entries.Add(new UploadEntry(child.FullName, name, UploadEntryKind.Folder, mode, 0, null));
                Walk(child.FullName);
            }
            else
            {
                Entries.Add(new UploadEntry(child.FullName, name, UploadEntryKind.File, mode, facts.Size, null, facts.Device, facts.Inode));
            }
        }
    }

    private static string Bits(UnixFileMode bits) => string.Join(", ", new[]
    {
        (UnixFileMode.SetUser, "setuid"), (UnixFileMode.SetGroup, "setgid"), (UnixFileMode.StickyBit, "sticky"),
    }.Where(b => bits.HasFlag(b.Item1)).Select(b => b.Item2));

    /// <summary>A name as it may reach a terminal: control characters (a newline, an escape) shown as '?'.</summary>
    public static string Shown(string name) => string.Concat(name.Select(c => char.IsControl(c) ? '?' : c));
}
