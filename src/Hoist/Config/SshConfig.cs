namespace Hoist.Config;

/// <summary>How to reach hosts over SSH.</summary>
internal sealed record SshConfig(
    string User,
    int Port,
    string? KeyPath,
    string KnownHostsPath,
    bool ForwardAgent,
    TimeSpan ConnectTimeout);
