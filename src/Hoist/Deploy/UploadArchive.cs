namespace Hoist.Deploy;

using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using Hoist.Core;

/// <summary>
/// A scanned upload folder packed once into a temporary tar (streamed from there to every host), with a revision
/// derived from the files' names, modes and contents, so that the same files give the same revision.
/// </summary>
/// <remarks>
/// The tar is created 0600 and unlinked at once, before a byte is written: no other user can open it, and no exit,
/// kill -9 included, leaves it behind. Each host reads it through its own positioned stream over the one handle.
/// </remarks>
internal sealed class UploadArchive : IDisposable
{
    private readonly FileStream file;

    private UploadArchive(FileStream file, string revision, int files) => (this.file, Revision, Files) = (file, revision, files);

    public string Revision { get; }

    public int Files { get; }

    public static UploadArchive Create(UploadFolder folder, CancellationToken cancel = default)
    {
        var file = CreateUnlinked();
        var current = "";
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            using (var tar = new TarWriter(file, TarEntryFormat.Pax, leaveOpen: true))
            {
                foreach (var entry in folder.Entries)
                {
                    cancel.ThrowIfCancellationRequested();
                    current = entry.Name;
                    hash.AppendData(Encoding.UTF8.GetBytes($"{entry.Name}\0{(int)entry.Mode}\0{entry.LinkTarget}\0"));
                    Write(tar, entry, hash, cancel);
                }
            }

            file.Flush();
            var revision = "upload-" + Convert.ToHexStringLower(hash.GetHashAndReset())[..12];
            return new UploadArchive(file, revision, folder.Files);
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

    private static FileStream CreateUnlinked()
    {
        var path = Path.Combine(Path.GetTempPath(), $"hoist-upload-{Guid.NewGuid():N}.tar");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.ReadWrite, Share = FileShare.None, BufferSize = 1 << 16 };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        else
        {
            options.Options = FileOptions.DeleteOnClose;
        }

        var file = new FileStream(path, options);
        if (!OperatingSystem.IsWindows())
        {
            File.Delete(path);
        }

        return file;
    }

    private static void Write(TarWriter tar, UploadEntry entry, IncrementalHash hash, CancellationToken cancel)
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
            ModificationTime = File.GetLastWriteTimeUtc(entry.Path),
        };
        if (entry.LinkTarget is { } target)
        {
            written.LinkName = target;
        }

        if (entry.Kind != UploadEntryKind.File)
        {
            tar.WriteEntry(written);
            return;
        }

        // Read once: the tar gets the bytes the revision hashes.
        using var content = new FileStream(entry.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        if (FileHoles.DataRegions(content.SafeFileHandle, content.Length) is { } regions)
        {
            written = Sparse(entry, content, regions);
        }

        using var hashed = new HashingReadStream(written.DataStream ?? content, cancel);
        written.DataStream = hashed;
        tar.WriteEntry(written);
        hash.AppendData(hashed.Hash());
    }

    /// <summary>A file with holes: only its data regions are read and sent, and the host's tar makes the holes again.</summary>
    private static PaxTarEntry Sparse(UploadEntry entry, FileStream content, List<(long Offset, long Length)> regions)
    {
        var size = content.Length;
        return new PaxTarEntry(TarEntryType.RegularFile, SparseTarData.HeaderName(entry.Name), SparseTarData.Attributes(entry.Name, size))
        {
            Mode = entry.Mode,
            ModificationTime = File.GetLastWriteTimeUtc(entry.Path),
            DataStream = new SparseTarData(content.SafeFileHandle, regions, size),
        };
    }
}
