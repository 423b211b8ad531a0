namespace Hoist.Serve;

using System.Runtime.InteropServices;
using Hoist.Serve.Files;
using Microsoft.Win32.SafeHandles;

/// <summary>
/// The file calls .NET does not offer: openat(2) with O_NOFOLLOW (and O_PATH for folders), statx(2) for a file's owner
/// (and a link's own facts), and the *at calls that work through an open folder, which hoist serve needs to write its
/// files safely in folders other users share.
/// </summary>
internal static partial class Native
{
    public const int ErrNoEntry = 2;
    public const int ErrNoDevice = 6;
    public const int ErrExists = 17;
    public const int ErrNotFolder = 20;
    public const int ErrLoop = 40;

    /// <summary>The facts of <paramref name="path"/> itself (a link is not followed), or null when nothing is there.</summary>
    public static FileFacts? Lstat(string path) => Stat(path, AtSymlinkNoFollow);

    /// <summary>The facts of what <paramref name="path"/> leads to (links followed), or null when nothing is there.</summary>
    public static FileFacts? Stat(string path) => Stat(path, 0);

    /// <summary>The facts of <paramref name="name"/> in an open folder itself (a link is not followed), or null when nothing is there.</summary>
    public static FileFacts? Lstat(SafeFileHandle folder, string name) => Stat((int)folder.DangerousGetHandle(), name, AtSymlinkNoFollow);

    private static FileFacts? Stat(string path, int flags) => Stat(AtCwd, path, flags);

    private static unsafe FileFacts? Stat(int directory, string path, int flags)
    {
        StatxBuffer buffer;
        if (statx(directory, path, flags, StatxBasic, &buffer) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno == ErrNoEntry ? null : throw new IOException($"cannot look at {path}: errno {errno}");
        }

        return buffer.Facts;
    }

    /// <summary>The facts of an open file.</summary>
    public static unsafe FileFacts Fstat(SafeFileHandle handle)
    {
        StatxBuffer buffer;
        Check(statx((int)handle.DangerousGetHandle(), "", AtEmptyPath, StatxBasic, &buffer), "statx");
        return buffer.Facts;
    }

    /// <summary>
    /// Opens <paramref name="path"/> to read without blocking on a FIFO (O_NONBLOCK: a FIFO opens at once, and fstat
    /// then shows what it is); with <paramref name="followLink"/> false a link in its last part gives ELOOP instead.
    /// Returns an invalid handle and the errno on failure.
    /// </summary>
    public static SafeFileHandle OpenRead(string path, bool followLink, out int errno)
    {
        var fd = openat(AtCwd, path, OReadOnly | ONonBlock | OCloexec | (followLink ? 0 : NoFollow), 0);
        errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>
    /// Opens (creating with <paramref name="mode"/>) <paramref name="path"/> for writing, never through a symbolic link
    /// in its last part (O_NOFOLLOW: ELOOP instead), and without blocking on a FIFO planted there (ENXIO instead).
    /// Nothing is truncated: the caller looks at what it opened first. Returns an invalid handle and the errno on failure.
    /// </summary>
    public static SafeFileHandle OpenNoFollow(SafeFileHandle folder, string name, bool append, UnixFileMode mode, out int errno)
    {
        var flags = OWriteOnly | OCreate | ONonBlock | OCloexec | NoFollow | (append ? OAppend : 0);
        var fd = openat((int)folder.DangerousGetHandle(), name, flags, (int)mode);
        errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>
    /// Opens the folder <paramref name="name"/> in <paramref name="folder"/> (or an absolute path when it is null) as a
    /// handle only to walk from, never through a link: a link there gives ENOTDIR. Returns an invalid handle and the errno.
    /// </summary>
    public static SafeFileHandle OpenFolder(SafeFileHandle? folder, string name, out int errno)
    {
        var fd = openat(folder is null ? AtCwd : (int)folder.DangerousGetHandle(), name, OPath | ODirectory | NoFollow | OCloexec, 0);
        errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>mkdirat(2), as Directory.CreateDirectory would (0777 less the umask); one made meanwhile is fine.</summary>
    public static void MakeFolder(SafeFileHandle folder, string name, string shown)
    {
        if (mkdirat((int)folder.DangerousGetHandle(), name, 0x1FF) != 0 && Marshal.GetLastPInvokeError() is var errno && errno != ErrExists)
        {
            throw new IOException($"cannot make the folder {shown}: {Marshal.GetPInvokeErrorMessage(errno)}");
        }
    }

    /// <summary>What the link <paramref name="name"/> in <paramref name="folder"/> holds.</summary>
    public static unsafe string ReadLink(SafeFileHandle folder, string name)
    {
        var buffer = new byte[4096];
        fixed (byte* bytes = buffer)
        {
            var length = readlinkat((int)folder.DangerousGetHandle(), name, bytes, buffer.Length);
            return length < 0
                ? throw new IOException($"cannot read the link {name}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}")
                : System.Text.Encoding.UTF8.GetString(buffer, 0, (int)length);
        }
    }

    public static void Rename(SafeFileHandle folder, string from, string to, string shown)
    {
        var fd = (int)folder.DangerousGetHandle();
        if (renameat(fd, from, fd, to) != 0)
        {
            throw new IOException($"cannot rename {shown}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }
    }

    public static void Unlink(SafeFileHandle folder, string name, string shown)
    {
        if (unlinkat((int)folder.DangerousGetHandle(), name, 0) != 0 && Marshal.GetLastPInvokeError() is var errno && errno != ErrNoEntry)
        {
            throw new IOException($"cannot remove {shown}: {Marshal.GetPInvokeErrorMessage(errno)}");
        }
    }

    public static uint EffectiveUid() => geteuid();

    private const int AtCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxBasic = 0x7ff;
    private const int OReadOnly = 0x0;
    private const int OWriteOnly = 0x1;
    private const int OCreate = 0x40;
    private const int OAppend = 0x400;
    private const int OCloexec = 0x80000;
    private const int OPath = 0x200000;

    // The open(2) flags whose values differ between the architectures .NET runs on under Linux.
    private static readonly bool Arm = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm;
    private static readonly int NoFollow = Arm ? 0x8000 : 0x20000;
    private static readonly int ODirectory = Arm ? 0x4000 : 0x10000;

    /// <summary>struct statx: the same layout on every architecture; only the fields up to the device are read.</summary>
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
        public ushort Spare;
        public ulong Inode;
        public ulong Size;
        public ulong Blocks;
        public ulong AttributesMask;
        public StatxTime Accessed;
        public StatxTime Born;
        public StatxTime Changed;
        public StatxTime Modified;
        public uint RdevMajor;
        public uint RdevMinor;
        public uint DevMajor;
        public uint DevMinor;

        public readonly FileFacts Facts =>
            new(Uid, Mode, ((ulong)DevMajor << 32) | DevMinor, Inode, (long)Size, Modified.Seconds);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct StatxTime
    {
        public long Seconds;
        public uint Nanoseconds;
        public int Reserved;
    }

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static unsafe partial int statx(int directory, string path, int flags, uint mask, StatxBuffer* buffer);

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int openat(int directory, string path, int flags, int mode);

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int mkdirat(int directory, string path, int mode);

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static unsafe partial nint readlinkat(int directory, string path, byte* buffer, nint size);

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int renameat(int fromDirectory, string from, int toDirectory, string to);

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int unlinkat(int directory, string path, int flags);

    [LibraryImport("libc")]
    private static partial uint geteuid();
}
