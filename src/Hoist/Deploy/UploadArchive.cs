namespace Hoist.Deploy;

using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;

/// <summary>
/// A local folder packed once into a temporary tar (streamed from there to every host), with a revision
/// derived from the files' names, modes and contents, so that the same files give the same revision.
/// </summary>
internal sealed class UploadArchive : IDisposable
{
    private UploadArchive(string path, string revision, int files) => (TarPath, Revision, Files) = (path, revision, files);

    public string TarPath { get; }

    public string Revision { get; }

    public int Files { get; }

    public static UploadArchive Create(string folder)
    {
        var tarPath = Path.Combine(Path.GetTempPath(), $"hoist-upload-{Guid.NewGuid():N}.tar");
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var count = 0;
        using (var file = new FileStream(tarPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
        using (var tar = new TarWriter(file, TarEntryFormat.Pax, leaveOpen: false))
        {
            foreach (var path in Walk(folder))
            {
                var name = Path.GetRelativePath(folder, path).Replace('\\', '/');
                var info = new FileInfo(path);
                hash.AppendData(Encoding.UTF8.GetBytes($"{name}\0{(int)info.UnixFileMode}\0{info.LinkTarget}\0"));
                if (info.LinkTarget is null && info.Exists)
                {
                    using var content = File.OpenRead(path);
                    hash.AppendData(SHA256.HashData(content));
                }

                tar.WriteEntry(path, name);
                count++;
            }
        }

        var revision = "upload-" + Convert.ToHexStringLower(hash.GetHashAndReset())[..12];
        return new UploadArchive(tarPath, revision, count);
    }

    public Stream Open() => new FileStream(TarPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);

    public void Dispose() => File.Delete(TarPath);

    /// <summary>Files, links and folders in a stable order; <c>.git</c> is never uploaded.</summary>
    private static IEnumerable<string> Walk(string folder)
    {
        var entries = new DirectoryInfo(folder).EnumerateFileSystemInfos()
            .Where(e => e.Name != ".git")
            .OrderBy(e => e.Name, StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            yield return entry.FullName;
            if (entry is DirectoryInfo && entry.LinkTarget is null)
            {
                foreach (var inner in Walk(entry.FullName))
                {
                    yield return inner;
                }
            }
        }
    }
}
