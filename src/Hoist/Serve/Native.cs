namespace Hoist.Serve;

using System.Runtime.InteropServices;

/// <summary>
/// The few libc calls .NET does not offer: signals to process groups, realpath, and what hoist serve needs to share
/// its listening socket with workers (inheritable, non-blocking) and to accept on it without registering it with
/// .NET's event loop.
/// </summary>
internal static partial class Native
{
    public const int SigTerm = 15;
    public const int SigKill = 9;
    public const int SigUsr2 = 12;

    /// <summary>hoist_gunicorn.py's "stop accepting, stay alive" (a held worker), and its "accept again" (a revert).</summary>
    public const int SigTtou = 22;
    public const int SigTtin = 21;

    /// <summary>Sends <paramref name="signal"/> to a process group (workers lead their own, via setsid).</summary>
    /// <remarks>A worker that has not yet made its group (hoist_gunicorn.py does so as it starts) gets the signal itself.</remarks>
    public static bool KillGroup(int pid, int signal) => pid > 0 && (kill(-pid, signal) == 0 || kill(pid, signal) == 0);

    public static bool Kill(int pid, int signal) => pid > 0 && kill(pid, signal) == 0;

    /// <summary>The path with every symlink resolved (<c>current</c> becomes <c>releases/ID</c>), or null if it does not exist.</summary>
    public static string? RealPath(string path)
    {
        var resolved = realpath(path, IntPtr.Zero);
        if (resolved == IntPtr.Zero)
        {
            return null;
        }

        try
        {
            return Marshal.PtrToStringUTF8(resolved);
        }
        finally
        {
            free(resolved);
        }
    }

    /// <summary>Lets child processes inherit <paramref name="fd"/> (clears FD_CLOEXEC).</summary>
    public static void MakeInheritable(int fd) => Check(fcntl(fd, FGetFd, 0) is var flags and >= 0 ? fcntl(fd, FSetFd, flags & ~FdCloexec) : -1, "fcntl(F_SETFD)");

    /// <summary>Sets O_NONBLOCK, which all processes sharing the socket see, as gunicorn's workers also set it.</summary>
    public static void MakeNonBlocking(int fd) => Check(fcntl(fd, FGetFl, 0) is var flags and >= 0 ? fcntl(fd, FSetFl, flags | ONonBlock) : -1, "fcntl(F_SETFL)");

    /// <summary>True when <paramref name="fd"/> has a connection waiting (poll for POLLIN), within <paramref name="timeoutMs"/>.</summary>
    public static unsafe bool WaitReadable(int fd, int timeoutMs)
    {
        var poll = new PollFd { Fd = fd, Events = PollIn };
        return Native.poll(&poll, 1, timeoutMs) > 0 && (poll.Revents & PollIn) != 0;
    }

    /// <summary>Accepts one connection (blocking, close-on-exec), or returns -1 when another process took it first.</summary>
    public static int Accept(int fd) => accept4(fd, IntPtr.Zero, IntPtr.Zero, SockCloexec);

    private const int FGetFd = 1;
    private const int FSetFd = 2;
    private const int FGetFl = 3;
    private const int FSetFl = 4;
    private const int FdCloexec = 1;
    private const int ONonBlock = 0x800;
    private const int SockCloexec = 0x80000;
    private const short PollIn = 1;

    private static void Check(int result, string call)
    {
        if (result < 0)
        {
            throw new IOException($"{call} failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fcntl(int fd, int command, int argument);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial int poll(PollFd* fds, nuint count, int timeoutMs);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int accept4(int fd, IntPtr address, IntPtr length, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int sig);

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial IntPtr realpath(string path, IntPtr resolved);

    [LibraryImport("libc")]
    private static partial void free(IntPtr pointer);
}
