namespace Hoist.Deploy;

/// <summary>
/// The commit <c>fetch: local</c> sends: where this machine's git reads it (<c>-C path</c>, or <c>--git-dir</c> of
/// hoist's cache of a URL), and what its tree holds, counted from <c>git ls-tree</c> without reading a file.
/// </summary>
/// <param name="GitDirectory">git's arguments that point it at the repository.</param>
/// <param name="Submodules">Paths of submodules in the tree: git archive sends an empty folder for each.</param>
internal sealed record LocalCommit(
    string Repo, string Branch, IReadOnlyList<string> GitDirectory, string Commit, int Files, long Bytes, IReadOnlyList<string> Submodules)
{
    /// <summary>The line saying what is sent; the dry run's says it would be.</summary>
    public string Summary(bool dryRun) =>
        $"{(dryRun ? "# " : "")}fetch: local: {Branch} of {Repo} is {Commit} ({Files} file{(Files == 1 ? "" : "s")}, {UploadFolder.Size(Bytes)}), " +
        $"{(dryRun ? "would be sent" : "sent")} as one tar (git archive) to each host";

    /// <summary>What the release will lack, said before anything is sent.</summary>
    public IEnumerable<string> Warnings => Submodules.Take(20).Select(s =>
        $"submodule {UploadFolder.Shown(s)} is not sent (git archive leaves its folder empty, as fetch: host does); vendor it, or fetch it in a build step");
}
