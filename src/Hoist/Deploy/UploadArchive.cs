namespace Hoist.Deploy;

using System.Formats.Tar;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Hoist.Core;
using Hoist.Serve;

/// <summary>
/// A scanned upload folder packed once into a temporary tar (streamed from there to every host), with a revision
/// derived from the files' names, modes and contents, so that the same files give the same revision.
/// </summary>
/// <remarks>
/// Each file is opened without following a link and without blocking on a FIFO, and sent only when the handle is still
/// the regular file the scan saw (same device and inode): the folder can change between scan and pack, and a file
/// swapped for a link to another user's secret, or for a FIFO, is skipped with a warning instead of being read.
/// The tar is created 0600 and unlinked at once, before a byte is written: no other user can open it, and no exit,
/// kill -9 included, leaves it behind. Each host reads it through its own positioned stream over the one handle.
/// </remarks>
internal sealed class UploadArchive : IDisposable
{
    private readonly FileStream file;

    private UploadArchive(FileStream file, string revision, int files, IReadOnlyList<string> warnings) =>
        (this.file, Revision, Files, Warnings) = (file, revision, files, warnings);

    public string Revision { get; }

    /// <summary>The regular files packed (the scan's, less those skipped because they changed).</summary>
    public int Files { get; }

    /// <summary>Files the scan saw that were swapped or changed type before the pack, and so were not sent.</summary>
    public IReadOnlyList<string> Warnings { get; }

    public static UploadArchive Create(UploadFolder folder, CancellationToken cancel = default)
    {
        var file = UnlinkedFile.Create("hoist-upload");
        var current = "";
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var warnings = new List<string>();
            var files = 0;
            using (var tar = new TarWriter(file, TarEntryFormat.Pax, leaveOpen: true))
            {
                foreach (var entry in folder.Entries)
                {
                    cancel.ThrowIfCancellationRequested();
                    current = entry.Name;
                    using var content = entry.Kind == UploadEntryKind.File ? OpenScanned(entry, warnings) : null;
                    if (entry.Kind == UploadEntryKind.File && content is null)
                    {
                        continue;
                    }

                    hash.AppendData(Encoding.UTF8.GetBytes($"{entry.Name}\0{(int)entry.Mode}\0{entry.LinkTarget}\0"));
                    Write(tar, entry, content, hash, cancel);
                    files += content is null ? 0 : 1;
                }
            }

            file.Flush();
            var revision = "upload-" + Convert.ToHexStringLower(hash.GetHashAndReset())[..12];
            return new UploadArchive(file, revision, files, warnings);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            file.Dispose();
            throw new HoistException(
                $"cannot pack the upload folder {folder.Root} (at {(current.Length == 0 ? "its start" : current)}) into {Path.GetTempPath()}: {e.Message}; " +
                "check that the folder is readable, and free space there or point TMPDIR at a folder with room");
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public Stream Open() => new PositionedReadStream(file.SafeFileHandle, file.Length);

    public void Dispose() => file.Dispose();

    /// <summary>
    /// The scanned file, opened with O_NOFOLLOW|O_NONBLOCK, or null (with a warning) when what is there now is not the
    /// regular file the scan saw: a link (ELOOP), a FIFO or socket, another file renamed over it, or one reached
    /// through a parent folder swapped for a link (another inode). Removed since the scan: skipped with a warning too.
    /// </summary>
    private static FileStream? OpenScanned(UploadEntry entry, List<string> warnings)
    {
        var handle = Native.OpenRead(entry.Path, followLink: false, out var errno);
        string? changed = null;
        if (handle.IsInvalid)
        {
            changed = errno switch
            {
                Native.ErrLoop => "it is a symbolic link now",
                Native.ErrNoEntry => "it was removed",
                Native.ErrNoDevice => "it is a socket or device now",
                _ => null,
            };
            if (changed is null)
            {
                throw new IOException($"cannot open {entry.Name}: {Marshal.GetPInvokeErrorMessage(errno)}");
            }
        }
        else if (Native.Fstat(handle) is var facts && !facts.IsRegular)
        {
            changed = $"it is {facts.Kind} now";
        }
        else if (facts.Device != entry.Device || facts.Inode != entry.Inode)
        {
            changed = "another file took its place";
        }

        if (changed is not null)
        {
            handle.Dispose();
            warnings.Add($"skipped {UploadFolder.Shown(entry.Name)}: it changed after the upload folder was scanned ({changed}); nothing of it was sent, deploy again to send it");
            return null;
        }

        return new FileStream(handle, FileAccess.Read, 1 << 16);
    }

    private static void Write(TarWriter tar, UploadEntry entry, FileStream? content, IncrementalHash hash, CancellationToken cancel)
    {
        var type = entry.Kind switch
        {
            UploadEntryKind.Folder => TarEntryType.Directory,
            UploadEntryKind.Link => TarEntryType.SymbolicLink,
            _ => TarEntryType.RegularFile,
        };
        var written = new PaxTarEntry(type, entry.Name)
        {
            Mode = entry.Mode,
            // The open file's own time: the path may lead elsewhere by now. Folders and links keep the scan's path.
            ModificationTime = content is null ? File.GetLastWriteTimeUtc(entry.Path) : Modified(content),
        };
        if (entry.LinkTarget is { } target)
        {
            written.LinkName = target;
        }

        if (content is null)
        {
            tar.WriteEntry(written);
            return;
        }

        // Read once: the tar gets the bytes the revision hashes.
        if (FileHoles.DataRegions(content.SafeFileHandle, content.Length) is { } regions)
        {
            written = Sparse(entry, content, regions);
        }

        using var hashed = new HashingReadStream(written.DataStream ?? content, cancel);
        written.DataStream = hashed;
        tar.WriteEntry(written);
        hash.AppendData(hashed.Hash());
    }

    private static DateTimeOffset Modified(FileStream content) =>
        DateTimeOffset.FromUnixTimeSeconds(Native.Fstat(content.SafeFileHandle).ModifiedSeconds);

    /// <summary>A file with holes: only its data regions are read and sent, and the host's tar makes the holes again.</summary>
    private static PaxTarEntry Sparse(UploadEntry entry, FileStream content, List<(long Offset, long Length)> regions)
    {
        var size = content.Length;
        return new PaxTarEntry(TarEntryType.RegularFile, SparseTarData.HeaderName(entry.Name), SparseTarData.Attributes(entry.Name, size))
        {
            Mode = entry.Mode,
            ModificationTime = Modified(content),
            DataStream = new SparseTarData(content.SafeFileHandle, regions, size),
        };
    }
}
