namespace Hoist.Setup;

using Hoist.Remote;
using Hoist.Shell;

/// <summary>The database URLs a web host already has (setup-read-passwords), so setup keeps their passwords; markers, never shown.</summary>
/// <param name="App">DATABASE_URL of shared/.env, or null.</param>
/// <param name="Owner">MIGRATE_DATABASE_URL of .env.migrate, or null.</param>
internal sealed record DatabaseUrlsReport(string? App, string? Owner)
{
    private static readonly ReportKey AppKey = new("app");
    private static readonly ReportKey OwnerKey = new("owner");

    /// <summary>Lines that report each URL found (read into <c>v</c>), in a script that set <see cref="ReportKey.AssignPrefix"/> and defined <see cref="EnvLines.Functions"/>.</summary>
    public static string Lines => $"""
        env_read "$D/shared/.env"
        if env_get DATABASE_URL && [ -n "$ENV_VALUE" ]; then {AppKey.EchoViaPrefix("$ENV_VALUE")}; fi
        v=$(sed -n 's/^MIGRATE_DATABASE_URL=//p' "$D/.env.migrate" 2>/dev/null | head -n 1) || true
        if [ -n "$v" ]; then {OwnerKey.EchoViaPrefix("$v")}; fi
        """;

    public static DatabaseUrlsReport Read(HostRun run) => new(AppKey.Last(run), OwnerKey.Last(run));
}
