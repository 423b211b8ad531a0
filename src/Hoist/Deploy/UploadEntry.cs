namespace Hoist.Deploy;

/// <summary>
/// One thing an upload sends, as the scan saw it: <paramref name="Name"/> relative to the folder ('/'-separated),
/// <paramref name="Mode"/> already without setuid, setgid and sticky bits; <paramref name="Device"/> and
/// <paramref name="Inode"/> say which file the scan saw, so that the pack sends that one or nothing.
/// </summary>
internal sealed record UploadEntry(string Path, string Name, UploadEntryKind Kind, UnixFileMode Mode, long Size, string? LinkTarget,
    ulong Device = 0, ulong Inode = 0);
