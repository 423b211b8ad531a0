namespace Hoist.Deploy;

/// <summary>
/// A temporary file only this process can read: created 0600 in TMPDIR and unlinked at once, before a byte is written,
/// so no other user can open it and no exit, kill -9 included, leaves it behind.
/// </summary>
internal static class UnlinkedFile
{
    public static FileStream Create(string prefix)
    {
        var path = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}.tar");
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
}
