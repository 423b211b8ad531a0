namespace Hoist.Config;

/// <summary>How to reach hosts over SSH.</summary>
/// <param name="KeepAliveInterval">
/// Seconds between keep-alives that need the host's answer (OpenSSH's ServerAliveInterval); 0 sends none.
/// </param>
/// <param name="KeepAliveCount">
/// Keep-alives left unanswered before the host counts as gone (OpenSSH's ServerAliveCountMax).
/// </param>
/// <param name="KexAlgorithms">The key exchanges offered, in order (OpenSSH's KexAlgorithms); null for <see cref="Config.KexAlgorithms.Default"/>.</param>
internal sealed record SshConfig(
    string User,
    int Port,
    string? KeyPath,
    string KnownHostsPath,
    bool ForwardAgent,
    TimeSpan ConnectTimeout,
    int KeepAliveInterval = SshConfig.DefaultKeepAliveInterval,
    int KeepAliveCount = SshConfig.DefaultKeepAliveCount,
    IReadOnlyList<string>? KexAlgorithms = null)
{
    public IReadOnlyList<string> KexOrder => KexAlgorithms ?? Config.KexAlgorithms.Default;

    /// <summary>
    /// 15 s × 3: a host silent for 45 s after the first unanswered keep-alive is gone. OpenSSH sends none by default
    /// (ServerAliveInterval 0), but 15 is what its users set for long sessions behind NAT, and 3 is its CountMax.
    /// </summary>
    public const int DefaultKeepAliveInterval = 15;

    public const int DefaultKeepAliveCount = 3;
}
