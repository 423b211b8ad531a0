namespace Hoist.Init;

/// <summary>What the config <c>hoist init</c> writes is made of, beside the project itself: the user's options and their defaults.</summary>
/// <param name="Repo">The git repository; null writes a placeholder the loader refuses until it is set.</param>
/// <param name="Web">The web hosts (user@host); empty writes a placeholder.</param>
/// <param name="Db">The PostgreSQL host, or null for none (a commented line says how to add one).</param>
/// <param name="Lb">A load balancer host in front of the web hosts, or null.</param>
/// <param name="SshKey">ssh.key as it is to be written, or null for the loader's default.</param>
/// <param name="KnownHosts">ssh.known_hosts as it is to be written, or null for the loader's default.</param>
/// <param name="ServerName">nginx's server_name: "_" (any name) unless given.</param>
internal sealed record InitSettings(
    string App,
    string? Repo,
    string Branch,
    IReadOnlyList<string> Web,
    string? Db,
    string? Lb,
    string? SshKey,
    string? KnownHosts,
    string ServerName)
{
    public string DeployTo => "/srv/" + App;

    /// <summary>The placeholders written where the user must put a value (see Config/Loading/Placeholder.cs).</summary>
    public const string WebPlaceholder = "root@CHANGE-ME-web-host";
    public const string StagingWebPlaceholder = "root@CHANGE-ME-staging-web-host";
    public const string StagingDbPlaceholder = "root@CHANGE-ME-staging-db-host";
    public const string RepoPlaceholder = "git@CHANGE-ME:you/app.git";
}
