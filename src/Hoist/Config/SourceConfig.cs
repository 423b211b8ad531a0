namespace Hoist.Config;

/// <summary>Where a release's files come from.</summary>
internal abstract record SourceConfig;

/// <summary>A git repository (URL, or a path on the target host) and the branch to deploy.</summary>
internal sealed record GitSource(string Repo, string Branch) : SourceConfig;

/// <summary>A folder on the deploying machine, streamed to each host as a tar.</summary>
internal sealed record UploadSource(string LocalPath) : SourceConfig;
