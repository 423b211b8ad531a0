namespace Hoist.Serve.Control;

using System.Globalization;
using Hoist.Core;
using Hoist.Serve.Files;

/// <summary>
/// Where a TCP listener's control socket goes by default: a folder private to the server's user (0700), root's in
/// /run/hoist, anyone else's /tmp/hoist-UID (as tmux keeps its sockets), so that no other user can put a socket where
/// `--reload` looks. The CLI finds it from the same ini when it runs as the server's user.
/// </summary>
/// <remarks>
/// Not $XDG_RUNTIME_DIR: a service, a sudo and an ssh session each see a different one (or none), and logind removes
/// /run/user/UID when the user's last session ends, under a server that still runs.
/// </remarks>
internal static class ControlFolder
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public static string Default => Native.EffectiveUid() is var uid && uid == 0 ? "/run/hoist" : $"/tmp/hoist-{uid.ToString(CultureInfo.InvariantCulture)}";

    public static string DefaultSocket(int port) => $"{Default}/serve-{port.ToString(CultureInfo.InvariantCulture)}.ctl";

    /// <summary>Makes the default folder (0700) if missing; refuses one that is a link, another user's, or open to others.</summary>
    public static void EnsurePrivate(string folder)
    {
        if (!Directory.Exists(folder))
        {
            Directory.CreateDirectory(folder, Private);
        }

        var me = Native.EffectiveUid();
        var facts = Native.Lstat(folder);
        if (facts is not { IsDirectory: true } || facts.Value.Uid != me || facts.Value.OpenToOthers)
        {
            throw new HoistException(FileRefusals.NotPrivate(folder, facts, me));
        }
    }
}
