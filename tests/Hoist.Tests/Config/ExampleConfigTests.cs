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
