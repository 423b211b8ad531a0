namespace Hoist.Serve;

using System.Globalization;

/// <summary>
/// The sd_notify(3) datagrams hoist serve sends its service manager: newline-separated <c>KEY=VALUE</c> lines. A
/// status is one line (line breaks become spaces), so it can never add a key of its own.
/// </summary>
internal static class NotifyMessage
{
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

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
