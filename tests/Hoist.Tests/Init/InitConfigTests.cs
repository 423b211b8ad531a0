namespace Hoist.Tests.Init;

using Hoist.Config;
using Hoist.Init;
using Hoist.Serve.Config;
using Hoist.Tests.Support;

/// <summary>
/// The hoist.yml and hoist.staging.yml init writes for each kind, loaded through the real loader (the check
/// `hoist check` makes of the config first), from a folder that holds the new app as init writes it.
/// </summary>
public sealed class InitConfigTests
{
    private static readonly Dictionary<string, string> Env = new() { ["HOME"] = "/home/you" };

    private static InitSettings Settings(IReadOnlyList<string>? web = null, string? repo = "git@github.com:me/shop.git", string? db = "root@203.0.113.20", string? lb = null) =>
        new("shop", repo, "main", web ?? ["root@203.0.113.10"], db, lb, "~/.ssh/id_ed25519", null, "shop.example.com");

    private static DetectedProject Skeleton(ProjectKind kind, TempDir dir)
    {
        foreach (var file in Skeletons.For(kind, "shop"))
        {
            dir.Write(file.Path, file.Text);
        }

        return ProjectDetector.Detect(ProjectFiles.FromDisk(dir.Path), dir.Path, kind);
    }

    private static ConfigResult Load(string text, TempDir dir, string? overlay = null) =>
        ConfigLoader.LoadText(text, "hoist.yml", dir.Path, Env,
            overlay: overlay is null ? null : new ConfigOverlay("staging", overlay, "hoist.staging.yml", dir.Combine("hoist.staging.yml")));

    [Theory]
    [InlineData("flask")]
    [InlineData("django")]
    [InlineData("aspnet")]
    [InlineData("node")]
    public void Each_Kind_Loads_With_Firewall_Nginx_And_Serve_For_Setup(string name)
    {
        var kind = Enum.Parse<ProjectKind>(name, ignoreCase: true);
        using var dir = new TempDir();
        var project = Skeleton(kind, dir);
        var result = Load(InitConfigText.Render(Settings(lb: "root@203.0.113.30"), project), dir);

        Assert.True(result.Succeeded, string.Join('\n', result.Errors));
        var config = result.Config;
        Assert.Equal("shop", config.App);
        Assert.True(config.Setup!.Firewall);
        Assert.Equal("shop.example.com", config.Setup.Nginx.ServerName);
        Assert.Equal("/up", config.Serve!.HealthCheck);
        Assert.Equal(new UnixListen("/srv/shop/shared/run/app.sock"), config.Serve.Listen);
        Assert.Equal(["web", "db", "lb"], config.Roles.Select(r => r.Name));
        Assert.Equal(kind == ProjectKind.Aspnet, config.Source is UploadSource);
    }

    [Theory]
    [InlineData("flask")]
    [InlineData("django")]
    [InlineData("aspnet")]
    [InlineData("node")]
    public void Staging_Overlay_Changes_Hosts_And_Server_Name_Once_Its_Hosts_Are_Set(string name)
    {
        var kind = Enum.Parse<ProjectKind>(name, ignoreCase: true);
        using var dir = new TempDir();
        var project = Skeleton(kind, dir);
        var overlay = StagingOverlayText.Render(Settings(), project)
            .Replace(InitSettings.StagingWebPlaceholder, "root@203.0.113.40", StringComparison.Ordinal)
            .Replace(InitSettings.StagingDbPlaceholder, "root@203.0.113.41", StringComparison.Ordinal);
        var result = Load(InitConfigText.Render(Settings(), project), dir, overlay);

        Assert.True(result.Succeeded, string.Join('\n', result.Errors));
        Assert.Equal("staging.shop.example.com", result.Config.Setup!.Nginx.ServerName);
        Assert.Equal(["203.0.113.40", "203.0.113.41"], result.Config.Roles.Select(r => r.Hosts.Single().Address));
    }

    [Fact]
    public void Placeholders_Are_Refused_With_Line_Path_And_Fix()
    {
        using var dir = new TempDir();
        var project = Skeleton(ProjectKind.Flask, dir);
        var text = InitConfigText.Render(Settings(web: [], repo: null, db: null), project);
        var errors = Load(text, dir).Errors.Select(e => e.ToString()).ToList();

        Assert.Equal(2, errors.Count);
        var lines = text.Split('\n').ToList();
        var repoLine = lines.FindIndex(l => l.StartsWith("repo:", StringComparison.Ordinal)) + 1;
        var webLine = lines.FindIndex(l => l.StartsWith("  web:", StringComparison.Ordinal)) + 1;
        Assert.StartsWith($"hoist.yml:{repoLine}:", errors[0], StringComparison.Ordinal);
        Assert.Contains("repo: 'git@CHANGE-ME:you/app.git' is a placeholder written by hoist init; replace it with the repository the hosts clone", errors[0], StringComparison.Ordinal);
        Assert.Contains("hoist init --repo URL", errors[0], StringComparison.Ordinal);
        Assert.StartsWith($"hoist.yml:{webLine}:", errors[1], StringComparison.Ordinal);
        Assert.Contains("hosts.web[0]: 'root@CHANGE-ME-web-host' is a placeholder written by hoist init; replace it with the web host's address", errors[1], StringComparison.Ordinal);
        Assert.Contains("--web USER@HOST", errors[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Staging_Placeholders_Name_The_Overlay()
    {
        using var dir = new TempDir();
        var project = Skeleton(ProjectKind.Node, dir);
        var errors = Load(InitConfigText.Render(Settings(db: null), project), dir, StagingOverlayText.Render(Settings(db: null), project)).Errors;

        var error = Assert.Single(errors).ToString();
        Assert.StartsWith("hoist.staging.yml:", error, StringComparison.Ordinal);
        Assert.Contains("'root@CHANGE-ME-staging-web-host' is a placeholder", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Any_Name_Server_Gives_Django_Any_Allowed_Host_And_Staging_Keeps_It()
    {
        using var dir = new TempDir();
        var project = Skeleton(ProjectKind.Django, dir);
        var settings = Settings() with { ServerName = "_" };
        var config = Load(InitConfigText.Render(settings, project), dir).Config!;

        Assert.Equal([new KeyValuePair<string, string>("DJANGO_ALLOWED_HOSTS", "*")], config.Serve!.Env);
        Assert.Equal(["DJANGO_SECRET_KEY"], config.Setup!.Secrets);
        Assert.Contains("server_name: _\n", StagingOverlayText.Render(settings, project), StringComparison.Ordinal);
    }

    [Fact]
    public void Existing_Python_Project_With_Requirements_Gets_A_Venv()
    {
        using var dir = new TempDir();
        dir.Write("app.py", "app = Flask(__name__)\n");
        dir.Write("requirements.txt", "flask\n");
        var project = ProjectDetector.Detect(ProjectFiles.FromDisk(dir.Path), dir.Path, null);
        var config = Load(InitConfigText.Render(Settings(), project), dir).Config!;

        Assert.True(config.Python!.Venv);
        Assert.Equal("requirements.txt", config.Python.Requirements);
        Assert.Equal("/", config.Serve!.HealthCheck);
    }
}
