namespace Hoist.Config;

/// <summary>
/// What <c>hoist setup</c> prepares (<c>setup:</c>): the app's Unix user, packages per role, the hoist binary,
/// PostgreSQL on the <c>db</c> host, nginx and the service on the <c>web</c> hosts.
/// </summary>
internal sealed record SetupConfig(
    string User,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Packages,
    string HoistPath,
    ServiceMode Service,
    DatabaseSetup? Database,
    NginxSetup Nginx);

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

/// <summary>The app's PostgreSQL database and its two roles.</summary>
/// <param name="Host">The address web hosts use to reach PostgreSQL (default: the db host's address).</param>
/// <param name="AllowFrom">Addresses (CIDR) pg_hba admits the roles from (default: each web host's address).</param>
internal sealed record DatabaseSetup(string Name, string Owner, string User, int Port, string Host, IReadOnlyList<string> AllowFrom);

/// <summary>The nginx site in front of hoist serve.</summary>
/// <param name="Locations">URL prefix to folder (under deploy_to unless absolute), served by nginx from disk.</param>
internal sealed record NginxSetup(
    string ServerName,
    int Listen,
    IReadOnlyList<KeyValuePair<string, string>> Locations,
    string ClientMaxBodySize,
    bool RemoveDefaultSite);
