namespace Hoist.Config;

/// <summary>
/// What <c>hoist setup</c> prepares (<c>setup:</c>): the app's Unix user, packages per role, the hoist binary,
/// PostgreSQL on the <c>db</c> host, nginx, the service and the app's generated secrets on the <c>web</c> hosts.
/// </summary>
internal sealed record SetupConfig(
    string User,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Packages,
    string HoistPath,
    ServiceMode Service,
    DatabaseSetup? Database,
    NginxSetup Nginx)
{
    /// <summary>
    /// setup.secrets: names of values generated once per app (256 random bits, 64 hex digits) into every web host's
    /// shared/.env, the same on all of them; not the top-level secrets:, whose values the deploying machine gives.
    /// </summary>
    public IReadOnlyList<string> Secrets { get; init; } = [];

    /// <summary>
    /// setup.firewall: nftables on every web, db and lb host (hoist's own table, <c>inet hoist</c>); false (the
    /// default) removes that table where an earlier setup left it.
    /// </summary>
    public bool Firewall { get; init; }

    /// <summary>setup.tls: HTTPS with certbot where TLS terminates; null keeps the site on plain HTTP.</summary>
    public TlsSetup? Tls { get; init; }
}
