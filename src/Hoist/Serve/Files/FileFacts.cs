namespace Hoist.Serve.Files;

/// <summary>
/// A file's owner and mode (type bits included), as statx(2) reports them, and what tells one file from another that
/// took its name (device and inode), with its size and modification time.
/// </summary>
internal readonly record struct FileFacts(uint Uid, uint Mode, ulong Device = 0, ulong Inode = 0, long Size = 0, long ModifiedSeconds = 0)
{
    private const uint TypeMask = 0xF000;

    public bool IsLink => (Mode & TypeMask) == 0xA000;

    public bool IsRegular => (Mode & TypeMask) == 0x8000;

    public bool IsDirectory => (Mode & TypeMask) == 0x4000;

    /// <summary>
    /// A sticky folder others may write to (/tmp, /var/tmp): anyone may put a file or link there, and the kernel's
    /// protected_regular (at 2) guards both group- and world-writable ones, as hoist serve does.
    /// </summary>
    public bool IsSharedSticky => IsDirectory && (Mode & 0x200) != 0 && (Mode & 0x12) != 0;

    /// <summary>Read, write or search for anyone but the owner: 0700 is private, 0750 is not.</summary>
    public bool OpenToOthers => (Mode & 0x3F) != 0;

    public string Kind => IsLink ? "a symbolic link" : IsRegular ? "a regular file" : IsDirectory ? "a folder" : (Mode & TypeMask) switch
    {
        0xC000 => "a socket",
        0x1000 => "a FIFO",
        0x2000 or 0x6000 => "a device",
        _ => "not a regular file",
    };
}
