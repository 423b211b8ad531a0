namespace Hoist.Tests.Init;

using Hoist.Core;
using Hoist.Init;

public sealed class ProjectDetectorTests
{
    private static DetectedProject Detect(Dictionary<string, string> files, ProjectKind? template = null) =>
        ProjectDetector.Detect(ProjectFiles.InMemory(files), "/p", template);

    private static string Fails(Dictionary<string, string> files, ProjectKind? template = null) =>
        Assert.Throws<HoistException>(() => Detect(files, template)).Message;

    [Fact]
    public void Django_Is_Manage_Py_And_The_Settings_Package_It_Names()
    {
        var found = Detect(new()
        {
            ["manage.py"] = "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')",
            ["mysite/settings.py"] = "", ["mysite/wsgi.py"] = "", ["mysite/urls.py"] = "path('healthz', views.health)",
            ["other/settings.py"] = "", ["other/wsgi.py"] = "", ["requirements.txt"] = "Django\n",
        });

        Assert.Equal((ProjectKind.Django, "mysite.wsgi", "requirements.txt", "/healthz"), (found.Kind, found.Module, found.Requirements, found.HealthPath));
        Assert.Equal("manage.py and mysite/wsgi.py", found.Found);
    }

    [Fact]
    public void Django_Without_The_Named_Package_Takes_One_With_Settings_And_Wsgi()
    {
        var found = Detect(new() { ["manage.py"] = "import sys", ["site_a/wsgi.py"] = "", ["site_a/settings.py"] = "" });
        Assert.Equal("site_a.wsgi", found.Module);
    }

    [Fact]
    public void Flask_Is_Wsgi_Py_With_Its_App_Object()
    {
        var found = Detect(new() { ["wsgi.py"] = "from flask import Flask\nserver = Flask(__name__)\n@server.get('/up')\n", ["static/site.css"] = "" });
        Assert.Equal(("wsgi.py", "server", null, "/up", "static"), (found.WsgiFile, found.Callable, found.Module, found.HealthPath, found.StaticFolder));
    }

    [Fact]
    public void Flask_Takes_An_App_Made_By_A_Factory_Call_Like_The_Seed()
    {
        var found = Detect(new() { ["wsgi.py"] = "from myproject import app_factory\n\napp = app_factory(name=\"myproject\")\n", ["myproject/__init__.py"] = "def app_factory(name):\n    @app.route('/up')\n" });
        Assert.Equal(("wsgi.py", "app", "/up"), (found.WsgiFile, found.Callable, found.HealthPath));
    }

    [Fact]
    public void Flask_App_Py_Counts_As_Well_As_Wsgi_Py()
    {
        Assert.Equal("app.py", Detect(new() { ["app.py"] = "app = Flask(__name__)" }).WsgiFile);
    }

    [Fact]
    public void Flask_Factory_In_A_Package_Becomes_A_Module_Call()
    {
        var found = Detect(new() { ["flaskr/__init__.py"] = "def create_app(test_config=None):\n    app = Flask(__name__)\n", ["requirements.txt"] = "flask" });
        Assert.Equal(("flaskr:create_app()", null, "requirements.txt"), (found.Module, found.WsgiFile, found.Requirements));
    }

    [Fact]
    public void Flask_Factory_That_Needs_An_Argument_Is_Not_Taken()
    {
        Assert.Contains("found no app", Fails(new() { ["flaskr/__init__.py"] = "def create_app(config):\n" }), StringComparison.Ordinal);
    }

    [Fact]
    public void Node_Runs_The_Start_Script_And_Installs_Dependencies_From_The_Lock()
    {
        var found = Detect(new()
        {
            ["package.json"] = """{ "scripts": { "start": "node ./bin/www" }, "dependencies": { "express": "^4" } }""",
            ["package-lock.json"] = "{}",
        });

        Assert.Equal(("node ./bin/www", "npm ci --omit=dev"), (found.Command, found.Build.Single()));
        Assert.Equal(["nodejs", "npm"], found.Packages);
    }

    [Fact]
    public void Node_Without_A_Start_Script_Runs_Main_And_Needs_No_Npm_Without_Dependencies()
    {
        var found = Detect(new() { ["package.json"] = """{ "main": "app.js" }""", ["app.js"] = "if (url === '/health') {}" });
        Assert.Equal(("node app.js", "/health"), (found.Command, found.HealthPath));
        Assert.Empty(found.Build);
        Assert.Equal(["nodejs"], found.Packages);
    }

    [Fact]
    public void Node_Without_Lock_Installs_With_Npm_Install()
    {
        Assert.Equal("npm install --omit=dev", Detect(new() { ["package.json"] = """{ "main": "a.js", "dependencies": { "x": "1" } }""" }).Build.Single());
    }

    [Fact]
    public void Aspnet_Is_Published_Self_Contained_And_Uploaded_As_Its_Assembly()
    {
        var found = Detect(new()
        {
            ["src/Tool/Tool.csproj"] = "<Project Sdk=\"Microsoft.NET.Sdk\" />",
            ["src/Web/Web.csproj"] = "<Project Sdk=\"Microsoft.NET.Sdk.Web\"><PropertyGroup><AssemblyName>Shop</AssemblyName></PropertyGroup></Project>",
        });

        Assert.Equal(("./Shop", "./bin/hoist-publish"), (found.Command, found.Upload));
        Assert.Equal(["rm -rf bin/hoist-publish", "dotnet publish src/Web/Web.csproj -c Release -r linux-x64 --self-contained -o bin/hoist-publish --nologo"], found.LocalBuild);
    }

    [Fact]
    public void Rejects_Unknown_Naming_What_It_Looked_For_And_Template()
    {
        var message = Fails(new() { ["index.html"] = "<html>" });
        Assert.Contains("found no app that hoist init knows in /p", message, StringComparison.Ordinal);
        Assert.Contains("manage.py", message, StringComparison.Ordinal);
        Assert.Contains("package.json", message, StringComparison.Ordinal);
        Assert.Contains("--template flask|django|aspnet|node", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_Ambiguous_Naming_Each_Kind_And_Its_Template()
    {
        var files = new Dictionary<string, string>
        {
            ["manage.py"] = "'DJANGO_SETTINGS_MODULE', 'mysite.settings'", ["mysite/wsgi.py"] = "", ["mysite/settings.py"] = "",
            ["package.json"] = """{ "scripts": { "start": "webpack serve" } }""",
        };

        var message = Fails(files);
        Assert.Contains("more than one kind of app: django (manage.py and mysite/wsgi.py); node (package.json's start script)", message, StringComparison.Ordinal);
        Assert.Contains("--template django or --template node", message, StringComparison.Ordinal);
        Assert.Equal(ProjectKind.Django, Detect(files, ProjectKind.Django).Kind);
    }

    [Fact]
    public void Rejects_A_Template_The_Project_Is_Not()
    {
        var message = Fails(new() { ["package.json"] = """{ "main": "a.js" }""" }, ProjectKind.Flask);
        Assert.Contains("--template flask: /p holds no flask app", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("flask")]
    [InlineData("django")]
    [InlineData("aspnet")]
    [InlineData("node")]
    public void Each_Skeleton_Is_Found_As_Its_Kind_With_Its_Up_Route(string name)
    {
        var kind = Enum.Parse<ProjectKind>(name, ignoreCase: true);
        var found = Detect(Skeletons.For(kind, "my-app").ToDictionary(f => f.Path, f => f.Text));
        Assert.Equal((kind, "/up"), (found.Kind, found.HealthPath));
    }
}
