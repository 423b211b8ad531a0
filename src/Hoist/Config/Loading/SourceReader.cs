namespace Hoist.Config.Loading;

using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

/// <summary>Reads where releases come from: <c>repo</c> (+ <c>branch</c>) or <c>upload</c>, exactly one.</summary>
internal static partial class SourceReader
{
    public const string DefaultBranch = "main";

    public static SourceConfig? Read(LoadContext context, YamlMappingNode root)
    {
        var reader = context.Reader;
        var repo = Nodes.Optional(root, "repo");
        var upload = Nodes.Optional(root, "upload");
        var branch = Nodes.Optional(root, "branch");
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

            return ReadUpload(context, upload, builtLocally: Nodes.Optional(root, "local_build") is not null);
        }

        var branchName = branch is null ? DefaultBranch : ReadBranch(reader, branch);
        var repoText = reader.Text(repo!, "repo", "a git URL or path");
        if (repoText is not null && RepoRules.Problem(repoText.Value) is { } problem)
        {
            reader.Error(repo!, "repo", $"{repoText.Quoted} {problem}");
            return null;
        }

        return repoText is null || branchName is null ? null : new GitSource(ResolveRepo(context, repoText), branchName);
    }

    private static string ResolveRepo(LoadContext context, ScalarText text)
    {
        var repo = text.Value;
        if (repo.Length == 0 || IsUrl(repo) || repo.StartsWith('/') || repo.StartsWith('~'))
        {
            return repo;
        }

        return context.Paths.Resolve(repo, out _) ?? repo;
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
