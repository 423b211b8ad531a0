namespace Hoist.Init;

/// <summary>The options of <c>hoist init</c>, as given (null or empty when not).</summary>
internal sealed record InitRequest(
    string Folder,
    ProjectKind? Template,
    string? App,
    IReadOnlyList<string> Web,
    string? Db,
    string? Lb,
    string? Repo,
    string? SshKey,
    string? KnownHosts,
    string? ServerName,
    bool Force);
