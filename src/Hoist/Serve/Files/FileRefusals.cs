namespace Hoist.Serve.Files;

using System.Runtime.InteropServices;

/// <summary>Why hoist serve will not write a file, or trust a control socket: each message names the path, who owns it, and the fix.</summary>
internal static class FileRefusals
{
    private const string Fix = "keep it in a folder only the server's user may write (such as /run/myapp/, or the app's shared/run/ that hoist setup makes)";

    public static string Link(string key, string path, string? target, uint owner) =>
        $"{key} {path} is a symbolic link (to {target ?? "?"}, made by {UserNames.Describe(owner)}); hoist serve does not follow a link to a file " +
        $"it writes, since whoever made it could have the server overwrite {target ?? "any file"}: remove the link, and {Fix}";

    public static string Foreign(string key, string path, uint owner, uint me, string folder) =>
        $"{key} {path} belongs to {UserNames.Describe(owner)}, not to {UserNames.Describe(me)}, in {folder}, a sticky folder others may write to; " +
        $"hoist serve does not write into another user's file there (as the kernel's protected_regular): remove it, and {Fix}";

    public static string NotRegular(string key, string path, string kind) =>
        $"{key} {path} is {kind}, not a regular file; remove it, or set {key} to another path";

    /// <summary>A link in the folder part of the path that someone other than root or the server's user could have made, or could make lead elsewhere.</summary>
    public static string FolderLink(string key, string path, string link, string target, uint owner, string folder, FileFacts folderFacts) =>
        $"{key} {path} goes through {link}, a symbolic link (to {target}, made by {UserNames.Describe(owner)}) in {folder}, " +
        $"a folder of {UserNames.Describe(folderFacts.Uid)}'s, mode {Convert.ToString(folderFacts.Mode & 0xFFF, 8)}; hoist serve follows a link " +
        $"on the way to a file it writes only when the link and its folder belong to {Trusted()} and no one else " +
        $"may write to that folder, since whoever could change the link could have the server write wherever it points: set {key} to a path " +
        $"without that link, and {Fix}";

    public static string CannotOpen(string key, string path, int errno) =>
        $"cannot open {key} {path}: {Marshal.GetPInvokeErrorMessage(errno)}";

    public static string CannotOpen(string key, string path, string on, int errno) =>
        $"cannot open {key} {path}: {on}: {Marshal.GetPInvokeErrorMessage(errno)}";

    public static string NotPrivate(string folder, FileFacts? facts, uint me) =>
        $"the control socket's folder {folder} must be a folder of {UserNames.Describe(me)}'s that no one else may enter (mode 0700), " +
        $"but it is {(facts is { } f ? $"{f.Kind} of {UserNames.Describe(f.Uid)}'s, mode {Convert.ToString(f.Mode & 0xFFF, 8)}" : "missing")}; " +
        "someone else may have made it to plant a control socket there: remove it (hoist serve makes it again), or set control-socket";

    public static string Impostor(string socket, int pid, uint peer, uint me, string? pidFile) =>
        $"the control socket {socket} is not this server's: the process answering on it (pid {pid}) runs as {UserNames.Describe(peer)}, " +
        $"while this config's hoist serve would run as {UserNames.Describe(me)}{(pidFile is null ? "" : $" or be the pid in {pidFile}")}; " +
        "another user may have put it there, so nothing was asked of it and nothing it says is believed: " +
        $"stop that process, remove the socket, and keep control-socket in a folder only the server's user may write (as the default for a TCP listener, {Control.ControlFolder.Default}/)";

    /// <summary>Whose links are followed: root's, and the server's user's (just root, not "root or root", for root's server).</summary>
    private static string Trusted()
    {
        var me = Native.EffectiveUid();
        return me == 0 ? UserNames.Describe(0) : $"root or {UserNames.Describe(me)}";
    }
}
