namespace Hoist.Config;

/// <summary>
/// <c>migrate:</c> and <c>migrate_on:</c>: the commands that change the database's schema, run once per deploy on one
/// web host, in the new release, after every host has built and before any host switches.
/// </summary>
internal sealed record MigrateConfig(IReadOnlyList<string> Commands, HostConfig Host);
