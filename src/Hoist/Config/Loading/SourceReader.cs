namespace Hoist.Config.Loading;

using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

/// <summary>Reads where releases come from: <c>repo</c> (+ <c>branch</c>, <c>fetch</c>) or <c>upload</c>, exactly one.</summary>
internal static partial class SourceReader
{
    public const string DefaultBranch = "main";

    /// <summary>The values of <c>fetch</c>: each host fetches the repository itself (the default), or this machine does.</summary>
    public static readonly IReadOnlyList<string> FetchModes = ["host", "local"];

    public static SourceConfig? Read(LoadContext context, YamlMappingNode root)
    {
        var reader = context.Reader;
        var repo = Nodes.Optional(root, "repo");
        var upload = Nodes.Optional(root, "upload");
        var branch = Nodes.Optional(root, "branch");
        var fetch = Nodes.Optional(root, "fetch");
        if (repo is not null && upload is not null)
        {
            reader.Error(upload, "upload", "'repo' and 'upload' are both set; keep 'repo' to deploy from git, or 'upload' to send a local folder");
            return null;
        }

        if (repo is null && upload is null)
        {
            reader.Error(root, "repo", "neither 'repo' nor 'upload' is set; add 'repo: <git URL or path>' or 'upload: <local folder>'");
            return null;
        }

        if (upload is not null)
        {
            if (branch is not null)
            {
                reader.Error(branch, "branch", "'branch' only applies to 'repo'; remove it when using 'upload'");
            }

            if (fetch is not null)
            {
                reader.Error(fetch, "fetch", "'fetch' only applies to 'repo'; remove it when using 'upload' (an upload is always sent from this machine)");
            }

            return ReadUpload(context, upload, builtLocally: Nodes.Optional(root, "local_build") is not null);
        }

        var branchName = branch is null ? DefaultBranch : ReadBranch(reader, branch);
        var local = fetch is not null && ReadFetch(reader, fetch) is "local";
        var repoText = reader.Text(repo!, "repo", "a git URL or path");
        if (repoText is not null && (Placeholder.Problem(repoText, "the repository the hosts clone (git@github.com:you/app.git, https://...)", "--repo URL")
            ?? (RepoRules.Problem(repoText.Value) is { } rule ? $"{repoText.Quoted} {rule}" : null)) is { } problem)
        {
            reader.Error(repo!, "repo", problem);
            return null;
        }

        if (repoText is null || branchName is null)
        {
            return null;
        }

        if (!local)
        {
            return new GitSource(ResolveRepo(context, repoText, onThisMachine: false) ?? repoText.Value, branchName);
        }

        if (ResolveRepo(context, repoText, onThisMachine: true) is not { } path)
        {
            reader.Error(repo!, "repo", $"{repoText.Quoted} cannot be read on this machine (fetch: local): {(context.Paths.Resolve(repoText.Value, out var why) is null ? why : "")}");
            return null;
        }

        return new LocalGitSource(path, branchName);
    }

    /// <summary>"host" or "local"; null (with an error) for anything else.</summary>
    private static string? ReadFetch(NodeReader reader, YamlNode node)
    {
        var text = reader.Text(node, "fetch", "host or local");
        if (text is null || FetchModes.Contains(text.Value, StringComparer.Ordinal))
        {
            return text?.Value;
        }

        var near = KeySuggestion.Closest(text.Value, FetchModes);
        reader.Error(node, "fetch", $"unknown value {text.Quoted}; {(near is null ? "" : $"did you mean '{near}'? ")}" +
            "write 'host' (each host fetches repo itself, the default) or 'local' (this machine fetches it and sends the commit to each host)");
        return null;
    }

    /// <summary>
    /// A relative path is the config folder's on this machine either way; with <paramref name="onThisMachine"/> (fetch:
    /// local) this machine's git reads the path, so a leading <c>~/</c> is this machine's home too, not the host's.
    /// </summary>
    private static string? ResolveRepo(LoadContext context, ScalarText text, bool onThisMachine)
    {
        var repo = text.Value;
        if (repo.Length == 0 || IsUrl(repo) || repo.StartsWith('/') || (repo.StartsWith('~') && !onThisMachine))
        {
            return repo;
        }

        return context.Paths.Resolve(repo, out _);
    }

    /// <summary>scheme://... or git's scp-like user@host:path (a ':' before any '/').</summary>
    private static bool IsUrl(string repo) => Scheme().IsMatch(repo) || ScpLike().IsMatch(repo);

    private static string? ReadBranch(NodeReader reader, YamlNode node)
    {
        var text = reader.Text(node, "branch", "a branch name");
        if (text is not null && (text.Value.Length == 0 || text.Value.StartsWith('-') || text.Value.Any(char.IsWhiteSpace)))
        {
            reader.Error(node, "branch", $"{text.Quoted} is not a valid branch name");
            return null;
        }

        return text?.Value;
    }

    /// <param name="builtLocally">With local_build, the folder may not exist yet: the deploy checks it after building.</param>
    private static UploadSource? ReadUpload(LoadContext context, YamlNode node, bool builtLocally)
    {
        var text = context.Reader.Text(node, "upload", "a local folder");
        if (text is null)
        {
            return null;
        }

        var full = context.Paths.Resolve(text.Value, out var error);
        if (full is null)
        {
            context.Reader.Error(node, "upload", error);
            return null;
        }

        if (!Directory.Exists(full) && !(builtLocally && !File.Exists(full)))
        {
            var what = File.Exists(full) ? "is a file, not a folder" : "does not exist";
            context.Reader.Error(node, "upload", $"folder {full} {what}; build the app into it first (or with local_build), or fix the path");
            return null;
        }

        return new UploadSource(Path.TrimEndingDirectorySeparator(full));
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9+.-]*://")]
    private static partial Regex Scheme();

    [GeneratedRegex("^([A-Za-z0-9_.-]+@)?[A-Za-z0-9_.-]+:")]
    private static partial Regex ScpLike();
}
