namespace Hoist.Tests.Init;

using Hoist.Config;
using Hoist.Core;
using Hoist.Init;
using Hoist.Tests;
using Hoist.Tests.Support;

/// <summary>hoist init on real folders: what it writes, what it refuses to replace, and what it tells.</summary>
public sealed class InitRunnerTests
{
    private static readonly Dictionary<string, string> Env = new() { ["HOME"] = "/home/you" };

    private static InitRequest Request(string folder, ProjectKind? template = null, bool force = false, string? repo = "git@github.com:me/shop.git") =>
        new(folder, template, null, ["root@203.0.113.10"], null, null, repo, null, null, null, force);

    private static (int Exit, string Output) Run(InitRequest request)
    {
        var output = new StringWriter();
        return (new InitRunner(output, Env).Run(request), output.ToString());
    }

    [Fact]
    public void Empty_Folder_With_Template_Gets_The_App_Config_Overlay_And_Gitignore()
    {
        using var dir = new TempDir();
        var folder = Directory.CreateDirectory(dir.Combine("My Shop")).FullName;
        File.WriteAllText(Path.Combine(folder, "README.md"), "# shop\n");

        var (exit, output) = Run(Request(folder, ProjectKind.Flask));

        Assert.Equal(0, exit);
        Assert.Equal([".gitignore", "README.md", "hoist.staging.yml", "hoist.yml", "wsgi.py"], Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Contains("app: my-shop (the folder's name 'My Shop' made valid; --app NAME for another)", output, StringComparison.Ordinal);
        // Run from elsewhere, so the next commands name the config.
        Assert.Contains($"  hoist -c '{folder}/hoist.yml' setup", output, StringComparison.Ordinal);
        Assert.Contains($"  hoist -c '{folder}/hoist.yml' deploy", output, StringComparison.Ordinal);
        Assert.Contains("venv/", File.ReadAllText(Path.Combine(folder, ".gitignore")), StringComparison.Ordinal);
        var loaded = ConfigLoader.Load(Path.Combine(folder, "hoist.yml"), Env);
        Assert.True(loaded.Succeeded, string.Join('\n', loaded.Errors));
        Assert.Equal("my-shop", loaded.Config.App);
    }

    [Fact]
    public void Missing_Folder_Is_Made()
    {
        using var dir = new TempDir();
        var (exit, _) = Run(Request(dir.Combine("new", "shop"), ProjectKind.Node));
        Assert.Equal(0, exit);
        Assert.True(File.Exists(dir.Combine("new", "shop", "server.js")));
    }

    [Fact]
    public void Empty_Folder_Without_Template_Asks_For_One_And_Writes_Nothing()
    {
        using var dir = new TempDir();
        var error = Assert.Throws<HoistException>(() => Run(Request(dir.Path)));
        Assert.Equal(ExitCodes.Usage, error.ExitCode);
        Assert.Contains("is empty: pass --template flask|django|aspnet|node", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void Never_Replaces_A_Config_Without_Force_Naming_The_File()
    {
        using var dir = new TempDir();
        dir.Write("app.py", "app = Flask(__name__)\n");
        dir.Write("hoist.staging.yml", "mine: true\n");

        var error = Assert.Throws<HoistException>(() => Run(Request(dir.Path)));

        Assert.Equal(ExitCodes.Usage, error.ExitCode);
        Assert.Contains(dir.Combine("hoist.staging.yml") + " already exists: hoist init never replaces a file", error.Message, StringComparison.Ordinal);
        Assert.Contains("--force", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.Combine("hoist.yml")));
        Assert.Equal("mine: true\n", File.ReadAllText(dir.Combine("hoist.staging.yml")));

        Assert.Equal(0, Run(Request(dir.Path, force: true)).Exit);
        Assert.StartsWith("# hoist.staging.yml", File.ReadAllText(dir.Combine("hoist.staging.yml")), StringComparison.Ordinal);
    }

    [Fact]
    public void Existing_Project_Gets_Only_The_Two_Configs()
    {
        using var dir = new TempDir();
        dir.Write("package.json", """{ "scripts": { "start": "node app.js" } }""");
        dir.Write("app.js", "");

        var (_, output) = Run(Request(dir.Path));

        Assert.Contains("found a node app in " + dir.Path + ": package.json's start script", output, StringComparison.Ordinal);
        Assert.Equal(["app.js", "hoist.staging.yml", "hoist.yml", "package.json"], Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Contains("command: 'node app.js'", File.ReadAllText(dir.Combine("hoist.yml")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Repo_Defaults_To_The_Git_Origin_And_Branch()
    {
        using var dir = new TempDir();
        dir.Write("wsgi.py", "application = make()\n");
        await Support.Run.ProcessAsync("git", ["init", "-q", "-b", "trunk", dir.Path], dir.Path);
        await Support.Run.ProcessAsync("git", ["-C", dir.Path, "remote", "add", "origin", "git@github.com:me/shop.git"], dir.Path);

        var (_, output) = Run(Request(dir.Path, repo: null));

        var text = File.ReadAllText(dir.Combine("hoist.yml"));
        Assert.Contains("repo: git@github.com:me/shop.git (this folder's git origin)", output, StringComparison.Ordinal);
        Assert.Contains("repo: git@github.com:me/shop.git\nbranch: trunk\n", text, StringComparison.Ordinal);
        Assert.Contains("callable: application", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_Repo_Or_Origin_The_Placeholder_Is_Named_In_What_To_Set()
    {
        using var dir = new TempDir();
        var (_, output) = Run(Request(dir.Path, ProjectKind.Django, repo: null) with { Web = [] });
        Assert.Contains("set: hosts.web in hoist.yml (root@CHANGE-ME-web-host)", output, StringComparison.Ordinal);
        Assert.Contains("repo in hoist.yml (git@CHANGE-ME:you/app.git)", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--web", "root@bad host")]
    [InlineData("--repo", "ext::sh -c evil")]
    [InlineData("--app", "Shop")]
    public void Rejects_Bad_Options_Before_Writing(string option, string value)
    {
        using var dir = new TempDir();
        var request = option switch
        {
            "--web" => Request(dir.Path, ProjectKind.Flask) with { Web = [value] },
            "--repo" => Request(dir.Path, ProjectKind.Flask, repo: value),
            _ => Request(dir.Path, ProjectKind.Flask) with { App = value },
        };

        var error = Assert.Throws<HoistException>(() => Run(request));
        Assert.StartsWith($"{option} '{value}'", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void A_Db_Needs_Web_Hosts_Given_By_Address_As_Pg_Hba_Does()
    {
        using var dir = new TempDir();
        var error = Assert.Throws<HoistException>(() => Run(Request(dir.Path, ProjectKind.Flask) with { Web = ["root@web.example.com"], Db = "root@203.0.113.20" }));
        Assert.StartsWith("--web 'root@web.example.com': with --db, give the web hosts as IP addresses", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void An_Lb_Is_Given_By_Address_As_The_Firewall_Needs()
    {
        using var dir = new TempDir();
        var error = Assert.Throws<HoistException>(() => Run(Request(dir.Path, ProjectKind.Node) with { Lb = "root@lb.example.com" }));
        Assert.StartsWith("--lb 'root@lb.example.com': give the load balancer as an IP address", error.Message, StringComparison.Ordinal);
    }
}
