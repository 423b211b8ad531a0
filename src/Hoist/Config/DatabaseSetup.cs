namespace Hoist.Config;

/// <summary>The app's PostgreSQL database and its two roles.</summary>
/// <param name="Host">The address web hosts use to reach PostgreSQL (default: the db host's address).</param>
/// <param name="AllowFrom">Addresses (CIDR) pg_hba admits the roles from (default: each web host's address).</param>
internal sealed record DatabaseSetup(string Name, string Owner, string User, int Port, string Host, IReadOnlyList<string> AllowFrom);
