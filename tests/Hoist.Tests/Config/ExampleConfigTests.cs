namespace Hoist.Tests.Config;

using Hoist.Config;
using Hoist.Tests.Support;

/// <summary>The commented example is the documentation; it must stay a valid config.</summary>
public sealed class ExampleConfigTests
{
    private static readonly string ExamplePath = Path.Combine(SourceTree.Root, "examples", "hoist.example.yml");

    [Fact]
    public void Example_Loads_WithSecretInEnvironment()
    {
        var environment = TestConfig.Environment();
        environment["SECRET_KEY"] = "s3cret-key-value";

        var result = ConfigLoader.Load(ExamplePath, environment);

        Assert.True(result.Succeeded, string.Join('\n', result.Errors));
        Assert.Equal("myproject", result.Config.App);
        Assert.Equal(["web", "db"], result.Config.Roles.Select(r => r.Name));
        Assert.True(result.Config.Env.Single(e => e.Name == "SECRET_KEY").Value.IsSecret);
        Assert.Equal(ExamplePath, result.Config.ConfigPath);
    }

    [Fact]
    public void Example_Staging_Overlay_Loads_Over_The_Example()
    {
        var environment = TestConfig.Environment();
        environment["SECRET_KEY"] = "s3cret-key-value";

        var result = ConfigLoader.Load(ExamplePath, environment, "staging");

        Assert.True(result.Succeeded, string.Join('\n', result.Errors));
        Assert.Equal(Path.Combine(SourceTree.Root, "examples", "hoist.example.staging.yml"), result.Config.OverlayPath);
        Assert.Equal(["203.0.113.40"], result.Config.AllHosts.Select(h => h.Address));
        Assert.Equal(new GitSource("git@github.com:me/myproject.git", "staging"), result.Config.Source);
        Assert.Equal(["FLASK_ENV=staging", "LOG_LEVEL=debug"], result.Config.Env.Where(e => !e.Value.IsSecret).Select(e => $"{e.Name}={e.Value.Reveal()}"));
        Assert.True(result.Config.Env.Single(e => e.Name == "SECRET_KEY").Value.IsSecret);
        Assert.Null(result.Config.Deploy.Batch);
        Assert.Equal("staging.example.com", result.Config.Setup!.Nginx.ServerName);
    }

    [Fact]
    public void Example_Documents_EveryKey()
    {
        var text = File.ReadAllText(ExamplePath);

        // Alternatives (upload instead of repo) are shown commented out.
        Assert.All(
            Hoist.Config.Loading.HoistConfigReader.Keys,
            key => Assert.True(text.Contains($"\n{key}:", StringComparison.Ordinal) || text.Contains($"\n# {key}:", StringComparison.Ordinal), key));
    }

    [Fact]
    public void Example_NeedsSecretKey()
    {
        var error = Assert.Single(ConfigLoader.Load(ExamplePath, TestConfig.Environment()).Errors);

        Assert.Equal("env.SECRET_KEY", error.Path);
        Assert.Equal("environment variable SECRET_KEY is not set; export it or write ${SECRET_KEY:-default}", error.Message);
    }
}
