namespace Hoist.Tests.Config;

using Hoist.Config;

/// <summary>Loads config text for tests, from a fixed folder and a small, fixed environment.</summary>
internal static class TestConfig
{
    /// <summary>The smallest valid hoist.yml: one app, one repo, one host.</summary>
    public const string Minimal = """
        app: demo
        repo: /srv/git/demo.git
        hosts:
          web: [10.0.0.1]
        """;

    public const string File = "hoist.yml";

    public static readonly string BaseDirectory = Path.Combine(Path.GetTempPath(), "hoist-config-tests");

    public static Dictionary<string, string> Environment() =>
        new() { ["HOME"] = "/home/me", ["USER"] = "me" };

    public static ConfigResult Load(string yaml, Dictionary<string, string>? environment = null) =>
        ConfigLoader.LoadText(yaml, File, BaseDirectory, environment ?? Environment());

    public static HoistConfig Valid(string yaml, Dictionary<string, string>? environment = null)
    {
        var result = Load(yaml, environment);
        Assert.True(result.Succeeded, string.Join('\n', result.Errors));
        Assert.Empty(result.Errors);
        return result.Config;
    }

    /// <summary>The errors, as printed: "hoist.yml:LINE:COL: PATH: MESSAGE".</summary>
    public static IReadOnlyList<string> Errors(string yaml, Dictionary<string, string>? environment = null)
    {
        var result = Load(yaml, environment);
        Assert.Null(result.Config);
        Assert.NotEmpty(result.Errors);
        return result.Errors.Select(e => e.ToString()).ToList();
    }

    public static string Single(string yaml, Dictionary<string, string>? environment = null) =>
        Assert.Single(Errors(yaml, environment));
}
