namespace Hoist.Setup;

/// <summary>
/// What a web host's .env files get: the connection strings (null when there is no database to reach) and the values
/// of setup.secrets, by name, in the config's order.
/// </summary>
internal sealed record WebSecrets(string? DatabaseUrl, string? MigrateUrl)
{
    public IReadOnlyList<KeyValuePair<string, string>> AppSecrets { get; init; } = [];

    /// <summary>Never the URLs or the values: they are secrets.</summary>
    public override string ToString() => Shell.Secret.Redacted;
}
