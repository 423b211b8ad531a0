namespace Hoist.Serve;

using System.Globalization;

/// <summary>
/// The sd_notify(3) datagrams hoist serve sends its service manager: newline-separated <c>KEY=VALUE</c> lines. A
/// status is only the first line of what it is given, capped at <see cref="MaxStatus"/> characters.
/// </summary>
/// <remarks>
/// Any local user reads a unit's StatusText (<c>systemctl show -p StatusText</c>): what follows a reason's first line
/// (a failed worker's last output, which may print DATABASE_URL) never goes there, and no status can add a key of its
/// own. The cap keeps every datagram far below the socket's limit, so sending can never fail with EMSGSIZE.
/// </remarks>
internal static class NotifyMessage
{
    public const int MaxStatus = 200;

    public static string Ready(int mainPid, string status) =>
        $"READY=1\nSTATUS={OneLine(status)}\nMAINPID={mainPid.ToString(CultureInfo.InvariantCulture)}";

    /// <remarks>MONOTONIC_USEC (CLOCK_MONOTONIC) tells systemd which reload this is; newer versions ask for it.</remarks>
    public static string Reloading(long monotonicMicroseconds, string status) =>
        $"RELOADING=1\nMONOTONIC_USEC={monotonicMicroseconds.ToString(CultureInfo.InvariantCulture)}\nSTATUS={OneLine(status)}";

    public static string Stopping(string status) => $"STOPPING=1\nSTATUS={OneLine(status)}";

    public static string Status(string status) => $"STATUS={OneLine(status)}";

    /// <summary>The keys a datagram sets, in order (what a test or a service manager reads).</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Parse(string datagram) =>
        datagram.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('=', 2))
            .Select(pair => new KeyValuePair<string, string>(pair[0], pair.Length > 1 ? pair[1] : ""))
            .ToList();

    private static string OneLine(string text)
    {
        var trimmed = text.Trim();
        var end = trimmed.IndexOfAny(['\r', '\n']);
        return Capped.To((end < 0 ? trimmed : trimmed[..end]).TrimEnd(), MaxStatus);
    }
}
