namespace Hoist.Serve;

using System.Runtime.InteropServices;

/// <summary>The few libc calls .NET does not offer: signals to process groups, and realpath.</summary>
internal static partial class Native
{
    public const int SigTerm = 15;
    public const int SigKill = 9;

    /// <summary>Sends <paramref name="signal"/> to a process group (workers lead their own, via setsid).</summary>
    public static bool KillGroup(int pid, int signal) => pid > 0 && kill(-pid, signal) == 0;

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

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int sig);

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial IntPtr realpath(string path, IntPtr resolved);

    [LibraryImport("libc")]
    private static partial void free(IntPtr pointer);
}
