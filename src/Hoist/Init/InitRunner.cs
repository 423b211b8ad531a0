namespace Hoist.Init;

using Hoist.Config;
using Hoist.Config.Loading;
using Hoist.Core;

/// <summary>
/// <c>hoist init</c>: describes the project in a folder (or writes a new one of a kind into an empty folder) and
/// writes hoist.yml and hoist.staging.yml for it. Everything is decided and checked before the first file is
/// written, and no existing file is replaced without --force.
/// </summary>
internal sealed class InitRunner(TextWriter output, IReadOnlyDictionary<string, string> environment)
{
    public const string StagingFile = "hoist.staging.yml";

    public int Run(InitRequest request)
    {
        var folder = Path.GetFullPath(request.Folder);
        if (File.Exists(folder))
        {
            throw HoistException.Usage($"{folder} is a file; hoist init takes the project's folder");
        }

        var files = Directory.Exists(folder) ? ProjectFiles.FromDisk(folder) : ProjectFiles.InMemory(new Dictionary<string, string>());
        var empty = IsEmpty(files);
        IReadOnlyList<SkeletonFile> skeleton = [];
        var app = ChooseApp(request, folder);
        DetectedProject project;
        if (empty)
        {
            var kind = request.Template ?? throw HoistException.Usage(
                $"{folder} is empty: pass --template flask|django|aspnet|node to write a small app of that kind with its hoist.yml, or run hoist init in your project's folder");
            skeleton = Skeletons.For(kind, app);
            // The new app is described by the same detection as any other, so its config cannot drift from its files.
            project = ProjectDetector.Detect(ProjectFiles.InMemory(skeleton.ToDictionary(f => f.Path, f => f.Text)), folder, kind);
        }
        else
        {
            project = ProjectDetector.Detect(files, folder, request.Template);
        }

        var settings = Settings(request, folder, app, project);
        var config = InitConfigText.Render(settings, project);
        var staging = StagingOverlayText.Render(settings, project);
        InitSelfCheck.Check(folder, config, staging, environment);

        var written = new List<(string Path, string Text)> { (ConfigLoader.DefaultFileName, config), (StagingFile, staging) };
        written.AddRange(skeleton.Select(f => (f.Path, f.Text)));
        var gitIgnore = Path.Combine(folder, ".gitignore");
        var keptGitIgnore = empty && Path.Exists(gitIgnore);
        if (empty && !keptGitIgnore)
        {
            written.Add((".gitignore", Skeletons.GitIgnore(project.Kind)));
        }

        var existing = written.Select(w => w.Path).Where(p => Path.Exists(Path.Combine(folder, p)) || IsLink(Path.Combine(folder, p))).ToList();
        if (existing.Count > 0 && !request.Force)
        {
            throw HoistException.Usage(
                $"{string.Join(", ", existing.Select(p => Path.Combine(folder, p)))} already {(existing.Count == 1 ? "exists" : "exist")}: hoist init never replaces a file; " +
                "move it aside, or pass --force to overwrite it");
        }

        Directory.CreateDirectory(folder);
        foreach (var (path, text) in written)
        {
            Write(Path.Combine(folder, path), text);
        }

        InitReport.Print(output, folder, settings, project, written.Select(w => w.Path).ToList(), keptGitIgnore, empty);
        return ExitCodes.Ok;
    }

    private static bool IsEmpty(ProjectFiles files) =>
        !files.Visible.Any(name => !name.StartsWith("README", StringComparison.OrdinalIgnoreCase) && !name.StartsWith("LICENSE", StringComparison.OrdinalIgnoreCase));

    private string ChooseApp(InitRequest request, string folder)
    {
        if (request.App is { } given)
        {
            return AppName.IsValid(given) ? given : throw HoistException.Usage(
                $"--app '{given}' is not a valid app name: lowercase letters, digits, '_' and '-', starting with a letter, at most 32 (it is also the app's Unix user); " +
                $"for instance '{AppName.From(given)}'");
        }

        var name = Path.GetFileName(folder.TrimEnd('/'));
        var app = AppName.From(name);
        if (app != name)
        {
            output.WriteLine($"app: {app} (the folder's name '{name}' made valid; --app NAME for another)");
        }

        return app;
    }

    private InitSettings Settings(InitRequest request, string folder, string app, DetectedProject project)
    {
        CheckHost("--web", request.Web);
        CheckHost("--db", request.Db is null ? [] : [request.Db]);
        CheckHost("--lb", request.Lb is null ? [] : [request.Lb]);
        // Both are rules of the config (pg_hba and the firewall admit addresses), told here in terms of the options.
        if (request.Db is not null && request.Web.FirstOrDefault(h => !IsAddress(h)) is { } named)
        {
            throw HoistException.Usage($"--web '{named}': with --db, give the web hosts as IP addresses (PostgreSQL admits them by address, pg_hba), e.g. --web root@203.0.113.10");
        }

        if (request.Lb is { } lb && !IsAddress(lb))
        {
            throw HoistException.Usage($"--lb '{lb}': give the load balancer as an IP address (the web hosts' firewall admits nginx's port from it only), e.g. --lb root@203.0.113.30");
        }

        string? repo = null;
        if (project.Upload is not null)
        {
            if (request.Repo is not null)
            {
                output.WriteLine($"note: --repo is not used: the {ProjectDetector.Name(project.Kind)} app is built here and uploaded (upload:)");
            }
        }
        else if (request.Repo is { } given)
        {
            var problem = given.Any(char.IsControl) ? "holds a control character" : RepoRules.Problem(given);
            repo = problem is null ? given : throw HoistException.Usage($"--repo '{given}' {problem}");
        }
        else if (Directory.Exists(folder) && GitFacts.Origin(folder) is { } origin && RepoRules.Problem(origin) is null)
        {
            repo = origin;
            output.WriteLine($"repo: {origin} (this folder's git origin)");
        }

        var serverName = request.ServerName ?? "_";
        if (serverName.Trim().Length == 0 || serverName.Any(char.IsControl))
        {
            throw HoistException.Usage($"--server-name '{serverName}': give nginx's server_name, host names separated by spaces (e.g. 'example.com www.example.com'), or _ for any");
        }

        var branch = Directory.Exists(folder) ? GitFacts.Branch(folder) : null;
        return new InitSettings(app, repo, branch ?? "main", request.Web, request.Db, request.Lb, LocalPath(request.SshKey), LocalPath(request.KnownHosts), serverName.Trim());
    }

    private static bool IsAddress(string host) =>
        HostParser.TryParse(host, "root", 22, out var parsed, out _) && System.Net.IPAddress.TryParse(parsed.Address, out _);

    private static void CheckHost(string option, IReadOnlyList<string> hosts)
    {
        foreach (var host in hosts)
        {
            var error = "holds a control character";
            if (host.Any(char.IsControl) || !HostParser.TryParse(host, "root", 22, out _, out error))
            {
                throw HoistException.Usage($"{option} '{host}': {error}");
            }
        }
    }

    // Given on the command line relative to where hoist runs; written as the loader reads it (~/ for the home).
    private static string? LocalPath(string? path)
    {
        if (path is null)
        {
            return null;
        }

        var full = path.StartsWith("~/", StringComparison.Ordinal) ? path : Path.GetFullPath(path);
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return home.Length > 1 && full.StartsWith(home + "/", StringComparison.Ordinal) ? "~/" + full[(home.Length + 1)..] : full;
    }

    private static bool IsLink(string path) => new FileInfo(path).LinkTarget is not null;

    private static void Write(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // A new file renamed into place: never written through a link left at the path, never half written.
        var temp = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
        using (var writer = new StreamWriter(file))
        {
            writer.Write(text);
        }

        File.Move(temp, path, overwrite: true);
    }
}
