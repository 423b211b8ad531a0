namespace Hoist.Config;

/// <summary>How hoist serve is kept running on a web host.</summary>
internal enum ServiceMode
{
    /// <summary>A systemd unit where systemd runs (PID 1), otherwise <see cref="Direct"/>.</summary>
    Auto,

    /// <summary>Always a systemd unit.</summary>
    Systemd,

    /// <summary>hoist serve started as a daemon with a pidfile (containers, hosts without systemd).</summary>
    Direct,
}
