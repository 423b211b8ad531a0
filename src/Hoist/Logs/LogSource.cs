namespace Hoist.Logs;

/// <summary>Where a line of <c>hoist logs</c> came from on its host; the tag it is shown with (none for hoist serve's own log).</summary>
internal enum LogSource
{
    /// <summary>hoist serve's <c>logto</c>: its own lines and its workers' output, each stamped (ISO 8601, UTC).</summary>
    Logto,

    /// <summary>The unit's journal (<c>journalctl -u APP.service</c>), where systemd runs.</summary>
    Journal,

    /// <summary>nginx's error log.</summary>
    Nginx,
}
