namespace Hoist.Init;

using Hoist.Config;

/// <summary>What hoist init tells once it has written: the files, what is left to set, and the next commands.</summary>
internal static class InitReport
{
    public static void Print(TextWriter output, string folder, InitSettings settings, DetectedProject project, List<string> written, bool keptGitIgnore, bool empty)
    {
        output.WriteLine(empty
            ? $"wrote {ProjectDetector.AnApp(project.Kind)} in {folder}: {string.Join(", ", written.Skip(2))}"
            : $"found {ProjectDetector.AnApp(project.Kind)} in {folder}: {project.Found}");
        output.WriteLine($"wrote {Path.Combine(folder, ConfigLoader.DefaultFileName)} and {Path.Combine(folder, InitRunner.StagingFile)} (hoist -d staging ...)");
        if (keptGitIgnore)
        {
            output.WriteLine("kept the .gitignore that was there");
        }

        var todo = new List<string>();
        if (settings.Web.Count == 0)
        {
            todo.Add($"hosts.web in hoist.yml ({InitSettings.WebPlaceholder}), or run again with --web USER@HOST --force");
        }

        if (project.Upload is null && settings.Repo is null)
        {
            todo.Add($"repo in hoist.yml ({InitSettings.RepoPlaceholder}): the repository the hosts clone, or run again with --repo URL --force");
        }

        todo.Add($"hosts in {InitRunner.StagingFile} before using -d staging");
        output.WriteLine("set: " + string.Join("\n     ", todo));
        if (project.Upload is null && Directory.Exists(folder) && GitFacts.TopLevel(folder) is { } top && Path.GetFullPath(top) != folder)
        {
            output.WriteLine($"note: {folder} is inside the git repository {top}; the hosts deploy that repository's root, so the app must be there");
        }

        var c = Path.GetFullPath(Directory.GetCurrentDirectory()) == folder ? "" : $" -c {Hoist.Shell.ShellQuote.Quote(Path.Combine(folder, ConfigLoader.DefaultFileName))}";
        output.WriteLine("next:" + (project.Upload is null ? " commit and push these files (the hosts clone the repository), then" : ""));
        output.WriteLine($"  hoist{c} setup    # once: prepares the hosts (hoist{c} check --accept-new-host-keys first, for new host keys)");
        output.WriteLine($"  hoist{c} deploy   # each release");
    }
}
