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
