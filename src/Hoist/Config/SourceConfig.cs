namespace Hoist.Config;

/// <summary>Where a release's files come from.</summary>
internal abstract record SourceConfig;

/// <summary>A git repository (URL, or a path on the target host) and the branch to deploy, which each host fetches itself.</summary>
internal sealed record GitSource(string Repo, string Branch) : SourceConfig;

/// <summary>
/// <c>fetch: local</c>: a git repository (URL, or a path on the deploying machine) read by the deploying machine's git,
/// whose branch's commit is sent to each host as a tar; the hosts need no git and no access to the repository.
/// </summary>
internal sealed record LocalGitSource(string Repo, string Branch) : SourceConfig;

/// <summary>A folder on the deploying machine, streamed to each host as a tar.</summary>
internal sealed record UploadSource(string LocalPath) : SourceConfig;
