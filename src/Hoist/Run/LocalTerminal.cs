namespace Hoist.Run;

using System.Runtime.InteropServices;
using Hoist.Remote;

/// <summary>
/// hoist's own terminal while <c>hoist run</c> gives a host's command a pty: raw (every key, ^C and ^D included, goes to
/// the host, whose pty echoes and signals), its size passed on as it changes (SIGWINCH), and put back as it was when
/// this is disposed, when hoist exits some other way (a second SIGTERM's Environment.Exit), or on an exception.
/// </summary>
internal sealed unsafe partial class LocalTerminal : IDisposable
{
    private const int Stdin = 0;
    private const int Stdout = 1;
    private const int TcsaDrain = 1;
    private const ulong TiocGwinsz = 0x5413;

    // struct termios is 60 bytes on Linux (glibc and musl); kept as opaque bytes, only libc reads them.
    private const int TermiosSize = 256;

    private readonly byte[] saved = new byte[TermiosSize];
    private readonly PosixSignalRegistration resize;
    private int restored;

    private LocalTerminal(Action<TerminalSize> onResize)
    {
        fixed (byte* state = saved)
        {
            if (tcgetattr(Stdin, state) != 0)
            {
                throw new IOException($"cannot read the terminal's settings (errno {Marshal.GetLastPInvokeError()})");
            }
        }

        var raw = (byte[])saved.Clone();
        fixed (byte* state = raw)
        {
            cfmakeraw(state);
            // Put back before anything else can fail: from here on, a failure must restore what it changed.
            AppDomain.CurrentDomain.ProcessExit += OnExit;
            if (tcsetattr(Stdin, TcsaDrain, state) != 0)
            {
                Dispose();
                throw new IOException($"cannot make the terminal raw (errno {Marshal.GetLastPInvokeError()})");
            }
        }

        resize = PosixSignalRegistration.Create(PosixSignal.SIGWINCH, signal =>
        {
            signal.Cancel = true;
            onResize(Size());
        });
    }

    /// <summary>True when both hoist's stdin and its stdout are a terminal: only then does the host's command get one.</summary>
    public static bool Interactive => !Console.IsInputRedirected && !Console.IsOutputRedirected;

    /// <summary>The TERM to tell the host (the local one, else a safe default).</summary>
    public static string Term => Environment.GetEnvironmentVariable("TERM") is { Length: > 0 } term ? term : "xterm";

    /// <summary>Makes the terminal raw until disposed; <paramref name="onResize"/> gets each new size.</summary>
    public static LocalTerminal Raw(Action<TerminalSize> onResize) => new(onResize);

    /// <summary>The terminal's size now (80x24 when it does not say).</summary>
    public static TerminalSize Size()
    {
        ushort* size = stackalloc ushort[4];
        return ioctl(Stdout, TiocGwinsz, size) == 0 && size[0] > 0 && size[1] > 0 ? new TerminalSize(size[1], size[0]) : new TerminalSize(80, 24);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref restored, 1) == 1)
        {
            return;
        }

        resize?.Dispose();
        AppDomain.CurrentDomain.ProcessExit -= OnExit;
        fixed (byte* state = saved)
        {
            _ = tcsetattr(Stdin, TcsaDrain, state);
        }
    }

    private void OnExit(object? sender, EventArgs e) => Dispose();

    [LibraryImport("libc", SetLastError = true)]
    private static partial int tcgetattr(int fd, byte* termios);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int tcsetattr(int fd, int when, byte* termios);

    [LibraryImport("libc")]
    private static partial void cfmakeraw(byte* termios);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int ioctl(int fd, ulong request, ushort* size);
}
