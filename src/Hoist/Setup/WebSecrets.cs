namespace Hoist.Setup;

/// <summary>The connection strings a web host's .env files get; null when there is no database to reach.</summary>
internal sealed record WebSecrets(string? DatabaseUrl, string? MigrateUrl)
{
    /// <summary>Never the URLs: they hold passwords.</summary>
    public override string ToString() => Shell.Secret.Redacted;
}
