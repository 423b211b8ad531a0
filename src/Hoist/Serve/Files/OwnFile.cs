namespace Hoist.Serve.Files;

using System.Text;
using Hoist.Core;

/// <summary>
/// A file hoist serve writes (pidfile, logto): never through a symbolic link, and never a file another user put in a
/// sticky folder others may write to (/tmp, /var/tmp). Root's server told `pidfile = /tmp/x.pid` would otherwise
/// overwrite whatever another user's link there points to; the kernel's protected_symlinks and protected_regular
/// guard against that only where they are switched on. The folder part is walked by <see cref="OwnFolder"/>, and the file
/// opened, renamed and removed through that folder's descriptor, so a link there is as unwelcome as one at the file.
/// </summary>
internal static class OwnFile
{
    private const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>Fails with the reason when <paramref name="path"/> is there and may not be written: checked before anything starts.</summary>
    public static void Check(string? path, string key)
    {
        if (path is null)
        {
            return;
        }

        using var folder = OwnFolder.Open(path, key, create: false);
        if (folder?.Lstat(Path.GetFileName(path)) is { } facts && Refusal(folder, path, key, facts) is { } why)
        {
            throw new HoistException(why);
        }
    }

    public static FileStream OpenAppend(string path, string key)
    {
        using var folder = OwnFolder.Open(path, key, create: true)!;
        return OpenAppend(folder, path, key);
    }

    /// <summary>Opens <paramref name="path"/>, whose folder is already open (a log that rotates there), to append to.</summary>
    public static FileStream OpenAppend(OwnFolder folder, string path, string key)
    {
        var stream = Open(folder, path, key, append: true);
        stream.Seek(0, SeekOrigin.End);
        return stream;
    }

    /// <summary>Writes <paramref name="text"/> as the whole file, truncating it only once it is known to be hoist's to write.</summary>
    public static void Replace(string path, string key, string text)
    {
        using var folder = OwnFolder.Open(path, key, create: true)!;
        using var stream = Open(folder, path, key, append: false);
        stream.SetLength(0);
        stream.Write(Encoding.UTF8.GetBytes(text));
    }

    /// <summary>
    /// Removes <paramref name="path"/> when it is still a regular file of this user's (vacuum), and nothing else put there
    /// since; nothing when its folder part now goes through a link that may not be followed.
    /// </summary>
    public static void DeleteIfOwn(string path)
    {
        OwnFolder? folder;
        try
        {
            folder = OwnFolder.Open(path, "pidfile", create: false);
        }
        catch (HoistException)
        {
            return;
        }

        using (folder)
        {
            var name = Path.GetFileName(path);
            if (folder?.Lstat(name) is { IsRegular: true } facts && facts.Uid == Native.EffectiveUid())
            {
                folder.Delete(name);
            }
        }
    }

    private static FileStream Open(OwnFolder folder, string path, string key, bool append)
    {
        var name = Path.GetFileName(path);
        var handle = folder.OpenNoFollow(name, append, Mode, out var errno);
        if (handle.IsInvalid)
        {
            handle.Dispose();
            // ELOOP is a link, ENXIO a FIFO no one reads: say what is there rather than the errno.
            throw new HoistException(folder.Lstat(name) is { } there && Refusal(folder, path, key, there) is { } why ? why : FileRefusals.CannotOpen(key, path, errno));
        }

        try
        {
            // Looked at through the open file itself: what was checked is what gets written.
            if (Refusal(folder, path, key, Native.Fstat(handle)) is { } why)
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

    private static string? Refusal(OwnFolder folder, string path, string key, FileFacts facts)
    {
        if (facts.IsLink)
        {
            return FileRefusals.Link(key, path, folder.LinkTarget(Path.GetFileName(path)), facts.Uid);
        }

        if (!facts.IsRegular)
        {
            return FileRefusals.NotRegular(key, path, facts.Kind);
        }

        var me = Native.EffectiveUid();
        // As protected_regular: in a shared sticky folder only the file's own user, or the folder's owner, may be written to.
        // The folder is the one the walk ended in, the one actually holding the file.
        return facts.Uid != me && folder.Facts is { IsSharedSticky: true } shared && shared.Uid != facts.Uid
            ? FileRefusals.Foreign(key, path, facts.Uid, me, folder.Path)
            : null;
    }
}
