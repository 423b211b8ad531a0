namespace Hoist.Tests.Serve.Config;

using Hoist.Serve.Config;
using Hoist.Tests.Support;

/// <summary>The commented example ini is the documentation of every serve setting; it must load.</summary>
public sealed class ServeExampleTests
{
    private static readonly string IniPath = Path.Combine(SourceTree.Root, "examples", "serve.example.ini");

    private static readonly string YmlPath = Path.Combine(SourceTree.Root, "examples", "hoist.example.yml");

    [Fact]
    public void ExampleIni_Loads()
    {
        var result = ServeIni.Load(IniPath, TestIni.Environment());

        Assert.True(result.Succeeded, string.Join('\n', result.Errors));
        Assert.Empty(result.Warnings);
        Assert.Equal(new UnixListen("/home/deploy/myproject.sock"), result.Config.Listen);
        Assert.Equal(new WsgiApp("/home/deploy/myproject/wsgi.py", null, "app", 2), result.Config.App);
        Assert.Equal([new("FLASK_ENV", "production"), new("APP_CONFIG", "/home/deploy/myproject/config.py")], result.Config.Env);
    }

    [Fact]
    public void ExampleIni_Documents_EveryKey()
    {
        var text = File.ReadAllText(IniPath);

        Assert.All(ServeKeys.All, key => Assert.True(text.Contains($"\n{key} =", StringComparison.Ordinal) || text.Contains($"\n; {key} =", StringComparison.Ordinal), key));
    }

    [Fact]
    public void ExampleYml_ServeSection_Loads()
    {
        var result = ServeConfigLoader.Load(YmlPath, TestIni.Environment());

        Assert.True(result.Succeeded, string.Join('\n', result.Errors));
        // python: { venv: true }: the workers run the release's venv.
        Assert.Equal(new WsgiApp("/home/deploy/myproject/current/wsgi.py", null, "app", null) { Venv = "/home/deploy/myproject/current/venv" }, result.Config.App);
        Assert.Equal(YmlPath, result.Config.SourcePath);
    }

    [Fact]
    public void ExampleYml_Documents_EveryServeKey()
    {
        var text = File.ReadAllText(YmlPath);
        var serve = text[text.IndexOf("\nserve:", StringComparison.Ordinal)..];

        // uWSGI's other spellings and its options Hoist refuses are named in one comment, not each as a setting.
        var named = serve[serve.IndexOf("Accepted for uWSGI's sake", StringComparison.Ordinal)..];
        Assert.All(ServeDialect.Yaml.Keys, key => Assert.True(serve.Contains($"{key}:", StringComparison.Ordinal) || named.Contains(key, StringComparison.Ordinal), key));
    }
}
