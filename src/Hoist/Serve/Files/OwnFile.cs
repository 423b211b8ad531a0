namespace Hoist.Serve.Files;

using System.Text;
using Hoist.Core;

/// <summary>
/// A file hoist serve writes (pidfile, logto): never through a symbolic link, and never a file another user put in a
/// sticky folder others may write to (/tmp, /var/tmp). Root's server told `pidfile = /tmp/x.pid` would otherwise
/// overwrite whatever another user's link there points to; the kernel's protected_symlinks and protected_regular
/// guard against that only where they are switched on.
/// </summary>
internal static class OwnFile
{
    private const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>Fails with the reason when <paramref name="path"/> is there and may not be written: checked before anything starts.</summary>
    public static void Check(string? path, string key)
    {
        if (path is not null && Native.Lstat(path) is { } facts && Refusal(path, key, facts) is { } why)
        {
            throw new HoistException(why);
        }
    }

    public static FileStream OpenAppend(string path, string key)
    {
        var stream = Open(path, key, append: true);
        stream.Seek(0, SeekOrigin.End);
        return stream;
    }

    /// <summary>Writes <paramref name="text"/> as the whole file, truncating it only once it is known to be hoist's to write.</summary>
    public static void Replace(string path, string key, string text)
    {
        using var stream = Open(path, key, append: false);
        stream.SetLength(0);
        stream.Write(Encoding.UTF8.GetBytes(text));
    }

    /// <summary>Removes <paramref name="path"/> when it is still a regular file of this user's (vacuum), and nothing else put there since.</summary>
    public static void DeleteIfOwn(string path)
    {
        if (Native.Lstat(path) is { IsRegular: true } facts && facts.Uid == Native.EffectiveUid())
        {
            File.Delete(path);
        }
    }

    private static FileStream Open(string path, string key, bool append)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var handle = Native.OpenNoFollow(path, append, Mode, out var errno);
        if (handle.IsInvalid)
        {
            handle.Dispose();
            // ELOOP is a link, ENXIO a FIFO no one reads: say what is there rather than the errno.
            throw new HoistException(Native.Lstat(path) is { } there && Refusal(path, key, there) is { } why ? why : FileRefusals.CannotOpen(key, path, errno));
        }

        try
        {
            // Looked at through the open file itself: what was checked is what gets written.
            if (Refusal(path, key, Native.Fstat(handle)) is { } why)
            {
                throw new HoistException(why);
            }

            return new FileStream(handle, FileAccess.Write);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static string? Refusal(string path, string key, FileFacts facts)
    {
        if (facts.IsLink)
        {
            return FileRefusals.Link(key, path, new FileInfo(path).LinkTarget, facts.Uid);
        }

        if (!facts.IsRegular)
        {
            return FileRefusals.NotRegular(key, path, facts.Kind);
        }

        var me = Native.EffectiveUid();
        var folder = Path.GetDirectoryName(path)!;
        // As protected_regular: in a shared sticky folder only the file's own user, or the folder's owner, may be written to.
        return facts.Uid != me && Native.Stat(folder) is { IsSharedSticky: true } shared && shared.Uid != facts.Uid
            ? FileRefusals.Foreign(key, path, facts.Uid, me, folder)
            : null;
    }
}
