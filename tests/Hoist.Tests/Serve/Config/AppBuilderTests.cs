namespace Hoist.Tests.Serve.Config;

using Hoist.Serve.Config;

public sealed class AppBuilderTests
{
    [Fact]
    public void Reads_Command()
    {
        Assert.Equal(new CommandApp("dotnet Shop.dll --urls $ASPNETCORE_URLS"), Load("command = dotnet Shop.dll --urls $ASPNETCORE_URLS").App);
    }

    [Fact]
    public void Splits_ModuleCallable()
    {
        Assert.Equal(new WsgiApp(null, "myapp.wsgi", "app", null), Load("module = myapp.wsgi:app").App);
    }

    [Fact]
    public void Defaults_Callable_ToApplication()
    {
        Assert.Equal(new WsgiApp(null, "myapp.wsgi", "application", null), Load("module = myapp.wsgi").App);
    }

    [Fact]
    public void Accepts_SameCallable_InModuleAndCallable()
    {
        Assert.Equal(new WsgiApp(null, "myapp", "app", 2), Load("module = myapp:app\ncallable = app\noptimize = 2").App);
    }

    [Fact]
    public void Rejects_DifferentCallable_InModuleAndCallable()
    {
        Assert.Equal(
            "app.ini:4:12: callable: 'module' names the callable 'app' but 'callable' says 'application'; keep one",
            Single("module = myapp:app\ncallable = application"));
    }

    [Theory]
    [InlineData("myapp/wsgi.py")]
    [InlineData("myapp.wsgi:")]
    [InlineData("2fast.wsgi")]
    public void Rejects_BadModule(string module)
    {
        Assert.Equal(
            $"app.ini:3:10: module: '{module}' is not a Python module; write a dotted name with an optional callable or app factory, e.g. myapp.wsgi, myapp.wsgi:app or myapp:create_app()",
            Single($"module = {module}"));
    }

    [Theory]
    [InlineData("flaskr:create_app()", "flaskr", "create_app", "")]
    [InlineData("app:create_app('production')", "app", "create_app", "'production'")]
    [InlineData("shop.web:make( \"prod\", debug=False, workers=-2, ratio=0.5, extra=None, )", "shop.web", "make", "\"prod\", debug=False, workers=-2, ratio=0.5, extra=None,")]
    public void Reads_AppFactory_WithLiteralArguments(string module, string name, string callable, string call)
    {
        var app = (WsgiApp)Load($"module = {module}").App;

        Assert.Equal(new WsgiApp(null, name, callable, null) { Call = call }, app);
        Assert.Equal(call.Length == 0 ? $"{callable}()" : $"{callable}({call})", app.CallableExpression);
    }

    [Fact]
    public void Keeps_PlainCallable_WithoutCall()
    {
        var app = (WsgiApp)Load("module = mysite.wsgi\ncallable = application").App;

        Assert.Null(app.Call);
        Assert.Equal("application", app.CallableExpression);
    }

    [Theory]
    [InlineData("create_app(os.environ['ENV'])", "os.environ['ENV']")]
    [InlineData("create_app(config)", "config")]
    [InlineData("create_app(f())", "f()")]
    [InlineData("create_app('a' + 'b')", "'a' + 'b'")]
    public void Rejects_AppFactory_WithArgumentsThatAreNotLiterals(string callable, string args)
    {
        Assert.Equal(
            $"app.ini:3:10: module: 'app:{callable}' calls its app factory with ({args}); gunicorn passes only literal arguments (strings, numbers, True, False, None), e.g. myapp:create_app('production'); read anything else from the environment in the factory",
            Single($"module = app:{callable}"));
    }

    [Theory]
    [InlineData("app:create_app(")]
    [InlineData("app:create_app)")]
    [InlineData("app:()")]
    public void Rejects_MalformedAppFactory(string module)
    {
        Assert.StartsWith($"app.ini:3:10: module: '{module}' is not a Python module;", Single($"module = {module}"), StringComparison.Ordinal);
    }

    [Fact]
    public void Points_CallableWithParentheses_AtModule()
    {
        Assert.Equal(
            "app.ini:4:12: callable: 'create_app()' is not a Python name; write the name of the app object in the file, e.g. app; an app factory is called from 'module', e.g. myapp:create_app()",
            Single("module = flaskr\ncallable = create_app()"));
    }

    [Fact]
    public void Resolves_WsgiFile_AgainstIniFolder_WithoutChdir()
    {
        Assert.Equal(new WsgiApp("/srv/app/conf/wsgi.py", null, "app", null), Load("wsgi-file = wsgi.py\ncallable = app").App);
    }

    [Fact]
    public void Resolves_WsgiFile_AgainstChdir_AsUwsgiDoes()
    {
        var config = Load("chdir = ../current\nwsgi-file = src/wsgi.py");

        Assert.Equal("/srv/app/current", config.Chdir);
        Assert.Equal("/srv/app/current/src/wsgi.py", ((WsgiApp)config.App).File);
    }

    [Fact]
    public void Keeps_AbsoluteWsgiFile_WithChdir()
    {
        Assert.Equal("/opt/wsgi.py", ((WsgiApp)Load("chdir = /srv\nwsgi-file = /opt/wsgi.py").App).File);
    }

    [Fact]
    public void Rejects_MissingApp()
    {
        Assert.Equal(
            "app.ini:1:1: wsgi-file: no app to run; set 'wsgi-file' (wsgi.py) or 'module' (myapp.wsgi:app) for a Python WSGI app, 'asgi' (myapp:app) for an ASGI app, or 'command' (dotnet MyApp.dll) for any other",
            TestIni.Single("[uwsgi]\nsocket = /run/app.sock\n"));
    }

    [Fact]
    public void Rejects_TwoApps()
    {
        Assert.Equal("app.ini:4:11: command: 'wsgi-file' and 'command' are both set; keep one", Single("wsgi-file = wsgi.py\ncommand = ./server"));
    }

    [Fact]
    public void Rejects_WsgiSettings_WithCommand()
    {
        Assert.Equal(
            [
                "app.ini:4:12: callable: 'callable' only applies to a WSGI app ('wsgi-file' or 'module'); remove it",
                "app.ini:5:12: optimize: 'optimize' only applies to a WSGI app ('wsgi-file' or 'module'); remove it",
            ],
            TestIni.Errors("[uwsgi]\nsocket = /run/app.sock\ncommand = ./server\ncallable = app\noptimize = 1\n"));
    }

    [Fact]
    public void Rejects_OptimizeOutOfRange()
    {
        Assert.Equal("app.ini:4:12: optimize: must be between 0 and 2, got 3", Single("module = app\noptimize = 3"));
    }

    [Fact]
    public void Rejects_BadCallable()
    {
        Assert.Equal(
            "app.ini:4:12: callable: 'my-app' is not a Python name; write the name of the app object in the file, e.g. app",
            Single("module = app\ncallable = my-app"));
    }

    private static ServeConfig Load(string lines) => TestIni.Valid($"[uwsgi]\nsocket = /run/app.sock\n{lines}\n");

    private static string Single(string lines) => TestIni.Single($"[uwsgi]\nsocket = /run/app.sock\n{lines}\n");
}
