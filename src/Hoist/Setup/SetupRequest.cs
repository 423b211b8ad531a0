namespace Hoist.Setup;

/// <summary>What `hoist setup` was asked beyond the hosts: --dry-run, --rotate-db-password, each --rotate-secret.</summary>
internal sealed record SetupRequest(bool DryRun, bool RotateDbPassword, IReadOnlyList<string> RotateSecrets);
