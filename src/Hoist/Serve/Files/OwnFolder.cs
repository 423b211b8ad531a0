namespace Hoist.Serve.Files;

using Hoist.Core;
using Microsoft.Win32.SafeHandles;

/// <summary>
/// The folder holding a file hoist serve writes, opened by walking its path from <c>/</c> one folder at a time
/// (openat with O_PATH|O_NOFOLLOW|O_DIRECTORY), so that no link another user could have planted is followed on the way:
/// O_NOFOLLOW on the file alone leaves <c>/tmp/theirs/serve.pid</c> free to lead, through their link <c>/tmp/theirs</c>,
/// into any folder of root's. The file is then opened, renamed and removed through this folder's descriptor.
/// </summary>
/// <remarks>
/// A link in the folder part is followed only when it and the folder holding it belong to root or the server's user and
/// no one else may write to that folder: <c>/var/run -> /run</c> on Debian, or an admin's own link, still work.
/// </remarks>
internal sealed class OwnFolder : IDisposable
{
    // As the kernel's own limit on links followed in one path (ELOOP past it).
    private const int MaxLinks = 40;
    private const uint OthersMayWrite = 0x12;

    private readonly SafeFileHandle handle;

    private OwnFolder(string path, SafeFileHandle handle)
    {
        Path = path;
        this.handle = handle;
        Facts = Native.Fstat(handle);
    }

    /// <summary>Where the walk ended, links resolved: the folder actually holding the file.</summary>
    public string Path { get; }

    /// <summary>The folder's own owner and mode, as the sticky-folder rule needs them.</summary>
    public FileFacts Facts { get; }

    /// <summary>
    /// Opens the folder holding <paramref name="file"/>, making missing folders when <paramref name="create"/> (else null
    /// when one is missing). Fails with the reason when a link on the way may not be trusted.
    /// </summary>
    public static OwnFolder? Open(string file, string key, bool create)
    {
        var full = System.IO.Path.GetFullPath(file);
        var rest = new Stack<string>();
        Push(rest, System.IO.Path.GetDirectoryName(full) ?? "/");
        var current = Native.OpenFolder(null, "/", out _);
        var shown = "/";
        var links = 0;
        try
        {
            while (rest.TryPop(out var name))
            {
                var next = Native.OpenFolder(current, name, out var errno);
                if (!next.IsInvalid)
                {
                    current.Dispose();
                    current = next;
                    shown = name == ".." ? System.IO.Path.GetDirectoryName(shown) ?? "/" : System.IO.Path.Join(shown, name);
                    continue;
                }

                next.Dispose();
                var here = System.IO.Path.Join(shown, name);
                if (errno == Native.ErrNoEntry && create)
                {
                    Native.MakeFolder(current, name, here);
                    rest.Push(name);
                    continue;
                }

                if (errno == Native.ErrNoEntry)
                {
                    current.Dispose();
                    return null;
                }

                if (errno != Native.ErrNotFolder || Native.Lstat(current, name) is not { IsLink: true } link)
                {
                    throw new HoistException(FileRefusals.CannotOpen(key, file, here, errno));
                }

                var target = Native.ReadLink(current, name);
                var parent = Native.Fstat(current);
                if (!Trusted(link, parent))
                {
                    throw new HoistException(FileRefusals.FolderLink(key, file, here, target, link.Uid, shown, parent));
                }

                if (++links > MaxLinks)
                {
                    throw new HoistException(FileRefusals.CannotOpen(key, file, here, Native.ErrLoop));
                }

                Push(rest, target);
                if (target.StartsWith('/'))
                {
                    current.Dispose();
                    current = Native.OpenFolder(null, "/", out _);
                    shown = "/";
                }
            }

            return new OwnFolder(shown, current);
        }
        catch
        {
            current.Dispose();
            throw;
        }
    }

    /// <summary>The facts of <paramref name="name"/> in this folder itself (a link is not followed), or null.</summary>
    public FileFacts? Lstat(string name) => Native.Lstat(handle, name);

    public string? LinkTarget(string name)
    {
        try
        {
            return Native.ReadLink(handle, name);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Opens <paramref name="name"/> here for writing, never through a link (see <see cref="Native.OpenNoFollow"/>).</summary>
    public SafeFileHandle OpenNoFollow(string name, bool append, UnixFileMode mode, out int errno) => Native.OpenNoFollow(handle, name, append, mode, out errno);

    /// <summary>renameat(2) within this folder: replaces what is at <paramref name="to"/> (a link too) and follows nothing.</summary>
    public void Rename(string from, string to) => Native.Rename(handle, from, to, System.IO.Path.Join(Path, from));

    public void Delete(string name) => Native.Unlink(handle, name, System.IO.Path.Join(Path, name));

    public void Dispose() => handle.Dispose();

    /// <summary>Whether only root or the server's user could have made the link, or could make it lead elsewhere.</summary>
    private static bool Trusted(FileFacts link, FileFacts parent)
    {
        var me = Native.EffectiveUid();
        return (link.Uid == 0 || link.Uid == me) && (parent.Uid == 0 || parent.Uid == me) && (parent.Mode & OthersMayWrite) == 0;
    }

    private static void Push(Stack<string> rest, string path)
    {
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse())
        {
            if (part != ".")
            {
                rest.Push(part);
            }
        }
    }
}
