namespace Hoist.Serve;

using System.Runtime.InteropServices;
using Hoist.Serve.Files;
using Microsoft.Win32.SafeHandles;

/// <summary>
/// The file calls .NET does not offer: open(2) with O_NOFOLLOW, and statx(2) for a file's owner (and a link's own
/// facts), which hoist serve needs to write its files safely in folders other users share.
/// </summary>
internal static partial class Native
{
    public const int ErrNoEntry = 2;
    public const int ErrNoDevice = 6;
    public const int ErrLoop = 40;

    /// <summary>The facts of <paramref name="path"/> itself (a link is not followed), or null when nothing is there.</summary>
    public static FileFacts? Lstat(string path) => Stat(path, AtSymlinkNoFollow);

    /// <summary>The facts of what <paramref name="path"/> leads to (links followed), or null when nothing is there.</summary>
    public static FileFacts? Stat(string path) => Stat(path, 0);

    private static unsafe FileFacts? Stat(string path, int flags)
    {
        StatxBuffer buffer;
        if (statx(AtCwd, path, flags, StatxBasic, &buffer) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno == ErrNoEntry ? null : throw new IOException($"cannot look at {path}: errno {errno}");
        }

        return new FileFacts(buffer.Uid, buffer.Mode);
    }

    /// <summary>The facts of an open file.</summary>
    public static unsafe FileFacts Fstat(SafeFileHandle handle)
    {
        StatxBuffer buffer;
        Check(statx((int)handle.DangerousGetHandle(), "", AtEmptyPath, StatxBasic, &buffer), "statx");
        return new FileFacts(buffer.Uid, buffer.Mode);
    }

    /// <summary>
    /// Opens (creating with <paramref name="mode"/>) <paramref name="path"/> for writing, never through a symbolic link
    /// in its last part (O_NOFOLLOW: ELOOP instead), and without blocking on a FIFO planted there (ENXIO instead).
    /// Nothing is truncated: the caller looks at what it opened first. Returns an invalid handle and the errno on failure.
    /// </summary>
    public static SafeFileHandle OpenNoFollow(string path, bool append, UnixFileMode mode, out int errno)
    {
        var flags = OWriteOnly | OCreate | ONonBlock | OCloexec | NoFollow | (append ? OAppend : 0);
        var fd = open(path, flags, (int)mode);
        errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    public static uint EffectiveUid() => geteuid();

    private const int AtCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxBasic = 0x7ff;
    private const int OWriteOnly = 0x1;
    private const int OCreate = 0x40;
    private const int OAppend = 0x400;
    private const int OCloexec = 0x80000;

    // The one open(2) flag whose value differs between the architectures .NET runs on under Linux.
    private static readonly int NoFollow = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x8000 : 0x20000;

    /// <summary>struct statx: the same layout on every architecture; only the fields up to the mode are read.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 256)]
    private struct StatxBuffer
    {
        public uint Mask;
        public uint BlockSize;
        public ulong Attributes;
        public uint Links;
        public uint Uid;
        public uint Gid;
        public ushort Mode;
    }

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static unsafe partial int statx(int directory, string path, int flags, uint mask, StatxBuffer* buffer);

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int open(string path, int flags, int mode);

    [LibraryImport("libc")]
    private static partial uint geteuid();
}
