namespace Hoist.Setup;

/// <summary>One thing a setup script made sure of on a host, and what it did about it.</summary>
/// <param name="Status">ok, changed, created, or would-change under --dry-run.</param>
/// <param name="Name">What it is, e.g. "hoist (/usr/local/bin/hoist)".</param>
internal sealed record SetupItem(string Status, string Name)
{
    /// <summary>It changed something (created is a change too).</summary>
    public bool Changed => Status is "changed" or "created";

    public bool WouldChange => Status == "would-change";
}
