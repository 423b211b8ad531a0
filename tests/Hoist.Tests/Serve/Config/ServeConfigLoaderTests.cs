namespace Hoist.Tests.Serve.Config;

using Hoist.Serve.Config;
using Hoist.Tests.Support;

public sealed class ServeConfigLoaderTests : IDisposable
{
    private readonly TempDir dir = new("hoist-serve-config");

    public void Dispose() => dir.Dispose();

    [Fact]
    public void Loads_Ini_ByExtension()
    {
        var path = dir.Write("conf/app.INI", "[uwsgi]\nhttp-socket = :8000\nwsgi-file = wsgi.py\n");

        var result = ServeConfigLoader.Load(path, TestIni.Environment());

        Assert.True(result.Succeeded, string.Join('\n', result.Errors));
        Assert.Equal(dir.Combine("conf", "wsgi.py"), ((WsgiApp)result.Config.App).File);
    }

    [Fact]
    public void Loads_ServeSection_Alone_WithoutCheckingDeploySettings()
    {
        var path = dir.Write("site/hoist.yml", "app: Not A Valid Name\nupload: ./missing\nserve:\n  socket: app.sock\n  command: ./server\n");

        var result = ServeConfigLoader.Load(path, TestIni.Environment());

        Assert.True(result.Succeeded, string.Join('\n', result.Errors));
        Assert.Equal(new UnixListen(dir.Combine("site", "app.sock")), result.Config.Listen);
        Assert.Equal(path, result.Config.SourcePath);
    }

    [Fact]
    public void Loads_HoistYml_FromFolder()
    {
        dir.Write("hoist.yml", "serve: { http_socket: 127.0.0.1:8000, command: ./server }\n");

        Assert.True(ServeConfigLoader.Load(dir.Path, TestIni.Environment()).Succeeded);
    }

    [Fact]
    public void Rejects_HoistYml_WithoutServe()
    {
        var path = dir.Write("hoist.yml", "app: shop\n");

        var error = Assert.Single(ServeConfigLoader.Load(path, TestIni.Environment()).Errors);

        Assert.Equal(
            $"{path}:1:1: serve: no serve settings; add them, e.g. 'serve: {{ http_socket: 127.0.0.1:8000, command: dotnet MyApp.dll }}', or pass an .ini file",
            error.ToString());
    }

    [Fact]
    public void Rejects_Secret_InServeSettings()
    {
        var path = dir.Write("hoist.yml", "secrets: [TOKEN]\nserve:\n  http_socket: :8000\n  command: ./server --token ${TOKEN}\n");
        var environment = TestIni.Environment();
        environment["TOKEN"] = "t0ps3cret";

        var error = Assert.Single(ServeConfigLoader.Load(path, environment).Errors);

        Assert.Equal("serve.command", error.Path);
        Assert.DoesNotContain("t0ps3cret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reports_MissingFile()
    {
        var error = Assert.Single(ServeConfigLoader.Load(dir.Combine("nope.ini"), TestIni.Environment()).Errors);

        Assert.Equal($"'nope.ini' not found in {dir.Path}", error.Message);
        Assert.Equal(0, error.Line);
    }
}
