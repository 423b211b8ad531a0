namespace Hoist.Config;

using Hoist.Serve.Config;

/// <summary>A whole, validated hoist.yml: what to deploy, where, and how.</summary>
internal sealed record HoistConfig(
    string App,
    SourceConfig Source,
    string DeployTo,
    int KeepReleases,
    IReadOnlyList<RoleConfig> Roles,
    SshConfig Ssh,
    IReadOnlyList<string> Shared,
    IReadOnlyList<string> Build,
    string? Reload,
    IReadOnlyList<EnvVar> Env,
    string ConfigPath)
{
    /// <summary>The destination (<c>-d NAME</c>) whose overlay was merged over hoist.yml; null without -d.</summary>
    public string? Destination { get; init; }

    /// <summary>The destination's overlay file (hoist.NAME.yml), full path; null without -d.</summary>
    public string? OverlayPath { get; init; }

    /// <summary>The files read, as hoist prints them: "/p/hoist.yml", or "/p/hoist.yml + hoist.staging.yml" (the overlay is beside it).</summary>
    public string Files => OverlayPath is null ? ConfigPath : $"{ConfigPath} + {Path.GetFileName(OverlayPath)}";

    /// <summary>What <c>hoist serve</c> runs by on the web hosts (<c>serve:</c>); null when not set.</summary>
    public ServeConfig? Serve { get; init; }

    /// <summary>The release's virtualenv (<c>python:</c>), built before the build commands; null when not set.</summary>
    public PythonConfig? Python { get; init; }

    /// <summary>What <c>hoist setup</c> prepares on the hosts (<c>setup:</c>); null when not set.</summary>
    public SetupConfig? Setup { get; init; }

    /// <summary>The schema migration a deploy runs once, before the switch (<c>migrate:</c>); null when not set.</summary>
    public MigrateConfig? Migrate { get; init; }

    /// <summary>How the switch is health-gated (<c>deploy:</c>).</summary>
    public DeployConfig Deploy { get; init; } = DeployConfig.Default;

    /// <summary>Commands run on the deploying machine, in the config's folder, before anything reaches a host (e.g. dotnet publish).</summary>
    public IReadOnlyList<string> LocalBuild { get; init; } = [];

    /// <summary>Commands run at the points of a deploy or rollback (<c>hooks:</c>), here or on the hosts.</summary>
    public HooksConfig Hooks { get; init; } = HooksConfig.None;

    /// <summary>True for a host in any role but db (PostgreSQL's) and lb (nginx only), both set up by hoist setup: it gets releases.</summary>
    public bool GetsReleases(HostConfig host) => Roles.Any(r => r.Name is not ("db" or LbRole.Name) && r.Hosts.Any(h => h.Key == host.Key));

    /// <summary>Every host once, in config order, even when it has several roles.</summary>
    public IReadOnlyList<HostConfig> AllHosts =>
        Roles.SelectMany(r => r.Hosts).DistinctBy(h => h.Key).ToList();
}
