namespace Hoist.Tests.Serve.Config;

using Hoist.Serve.Config;

/// <summary><c>asgi = module:app</c>: read as a Python app run by uvicorn, exclusive with the other app keys.</summary>
public sealed class AsgiAppTests
{
    [Fact]
    public void Reads_ModuleAndCallable_AsAsgi()
    {
        Assert.Equal(new WsgiApp(null, "app", "app", null) { Asgi = true }, Load("asgi = app:app").App);
    }

    [Fact]
    public void Defaults_Callable_ToApplication_AsDjangosAsgiPy()
    {
        Assert.Equal(new WsgiApp(null, "mysite.asgi", "application", null) { Asgi = true }, Load("asgi = mysite.asgi").App);
    }

    [Fact]
    public void Reads_AppFactory()
    {
        var app = (WsgiApp)Load("asgi = shop:create_app('prod')").App;

        Assert.True(app.Asgi);
        Assert.Equal("create_app('prod')", app.CallableExpression);
    }

    [Fact]
    public void Takes_A_Venv_As_Wsgi_Does()
    {
        Assert.Equal("/srv/venv", ((WsgiApp)Load("chdir = /srv\nasgi = app:app\nvenv = venv").App).Venv);
    }

    [Theory]
    [InlineData("module = app:app")]
    [InlineData("wsgi-file = wsgi.py")]
    [InlineData("command = ./server")]
    public void Rejects_Asgi_With_Another_App(string other)
    {
        var error = Single($"asgi = app:app\n{other}");

        Assert.EndsWith("are both set; keep one", error, StringComparison.Ordinal);
        Assert.Contains("'asgi'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_Threads_Naming_Processes_Instead()
    {
        Assert.Equal(
            "app.ini:4:11: threads: 'threads' does not apply to an ASGI app: its worker serves many requests at once on one event loop; remove it (more 'processes' use more CPUs)",
            Single("asgi = app:app\nthreads = 4"));
    }

    [Fact]
    public void Takes_Harakiri_As_The_Event_Loops_Limit()
    {
        Assert.Equal(TimeSpan.FromSeconds(3), Load("asgi = app:app\nharakiri = 3").Harakiri);
    }

    [Fact]
    public void Rejects_A_Path_With_Asgi_Examples()
    {
        Assert.Equal(
            "app.ini:3:8: asgi: 'app/main.py' is not a Python module; write a dotted name with an optional callable or app factory, e.g. main:app, mysite.asgi or myapp:create_app()",
            Single("asgi = app/main.py"));
    }

    [Fact]
    public void Missing_App_Names_Asgi()
    {
        Assert.Contains("'asgi' (myapp:app) for an ASGI app", TestIni.Single("[uwsgi]\nsocket = /run/app.sock\n"), StringComparison.Ordinal);
    }

    private static ServeConfig Load(string lines) => TestIni.Valid($"[uwsgi]\nsocket = /run/app.sock\n{lines}\n");

    private static string Single(string lines) => TestIni.Single($"[uwsgi]\nsocket = /run/app.sock\n{lines}\n");
}
