namespace Hoist.Serve.Control;

using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Hoist.Serve.Files;

/// <summary>
/// Whether the process answering on a control socket is this config's hoist serve, asked of the kernel (SO_PEERCRED)
/// before anything is sent: the same user as the one asking, root, or the pid the config's pidfile names.
/// </summary>
/// <remarks>
/// The socket's path alone proves nothing: in a folder others may write, another user can listen there first and
/// answer `reloaded` to a reload that never happened.
/// </remarks>
internal static class ControlPeer
{
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;

    /// <summary>Null when the peer is trusted; otherwise why it is not.</summary>
    public static string? Distrust(Socket socket, string socketPath, string? pidFile)
    {
        Span<byte> credentials = stackalloc byte[12];
        socket.GetRawSocketOption(SolSocket, SoPeerCred, credentials);
        var pid = MemoryMarshal.Read<int>(credentials);
        var uid = MemoryMarshal.Read<uint>(credentials[4..]);
        var me = Native.EffectiveUid();
        return uid == me || uid == 0 || (pidFile is not null && PidIn(pidFile, uid) == pid)
            ? null
            : FileRefusals.Impostor(socketPath, pid, uid, me, pidFile);
    }

    /// <summary>
    /// The pid in the pidfile, when that file can be believed for <paramref name="owner"/>: a regular file of theirs
    /// (root querying the server of the app's user), and not in a sticky folder where anyone could have written it.
    /// </summary>
    private static int? PidIn(string pidFile, uint owner)
    {
        if (Native.Lstat(pidFile) is not { IsRegular: true } facts || facts.Uid != owner || Native.Stat(Path.GetDirectoryName(pidFile)!) is { IsSharedSticky: true })
        {
            return null;
        }

        try
        {
            return int.TryParse(File.ReadAllText(pidFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
