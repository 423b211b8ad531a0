namespace Hoist.Tests.Serve.Config;

using Hoist.Serve.Config;

public sealed class IniExpanderTests
{
    private readonly ServeErrors errors = new("app.ini");

    [Fact]
    public void Expands_EarlierKey()
    {
        var expander = Expander();
        expander.Expand(Entry("user-home", "/home/deploy", 1));

        Assert.Equal("/home/deploy/app.sock", expander.Expand(Entry("socket", "%(user-home)/app.sock", 2))?.Value);
    }

    [Fact]
    public void Expands_ChainedPlaceholders()
    {
        var expander = Expander();
        expander.Expand(Entry("user-home", "/home/deploy", 1));
        expander.Expand(Entry("project-name", "shop", 2));
        expander.Expand(Entry("project-path", "%(user-home)/%(project-name)", 3));

        var text = expander.Expand(Entry("wsgi-file", "%(project-path)/wsgi.py", 4));

        Assert.Equal("/home/deploy/shop/wsgi.py", text?.Value);
        Assert.Equal("%(project-path)/wsgi.py", text?.Written);
    }

    [Fact]
    public void Uses_LatestValue_OfRedefinedKey()
    {
        var expander = Expander();
        expander.Expand(Entry("x", "one", 1));
        expander.Expand(Entry("x", "two", 2));

        Assert.Equal("two", expander.Expand(Entry("y", "%(x)", 3))?.Value);
    }

    [Fact]
    public void Rejects_KeyDefinedLater_AtItsColumn()
    {
        var expander = Expander();

        Assert.Null(expander.Expand(Entry("socket", "/run/%(name).sock", 3, valueColumn: 10)));
        expander.Expand(Entry("name", "shop", 4));

        var error = Assert.Single(errors.All);
        Assert.Equal("app.ini:3:15: socket: placeholder %(name) is not defined; define `name = ...` above this line", error.ToString());
    }

    [Fact]
    public void Expands_MagicVariables()
    {
        var text = Expander().Expand(Entry("logto", "%d|%n|%p|100%%", 1));

        Assert.Equal("/srv/app/conf/|app|/srv/app/conf/app.ini|100%", text?.Value);
    }

    [Fact]
    public void Keeps_LonePercent_AsText()
    {
        Assert.Equal("50% off %", Expander().Expand(Entry("x", "50% off %", 1))?.Value);
    }

    [Fact]
    public void Rejects_UnknownMagicVariable()
    {
        Assert.Null(Expander().Expand(Entry("logto", "/var/log/%h.log", 1, valueColumn: 9)));

        Assert.Equal(
            "app.ini:1:18: logto: '%h' is not a placeholder Hoist knows; use %(name), %d, %n or %p, and %% for a literal %",
            Assert.Single(errors.All).ToString());
    }

    [Fact]
    public void Expands_EnvironmentVariable()
    {
        var expander = new IniExpander(TestIni.FullPath, new Dictionary<string, string> { ["APP_PORT"] = "8001" }, errors);

        Assert.Equal("127.0.0.1:8001", expander.Expand(Entry("http-socket", "127.0.0.1:$(APP_PORT)", 1))?.Value);
    }

    [Fact]
    public void Rejects_UnsetEnvironmentVariable()
    {
        Assert.Null(Expander().Expand(Entry("chdir", "$(APP_ROOT)/current", 2, valueColumn: 9)));

        Assert.Equal(
            "app.ini:2:9: chdir: environment variable APP_ROOT is not set; export it before starting hoist serve",
            Assert.Single(errors.All).ToString());
    }

    [Fact]
    public void Rejects_UnclosedPlaceholder()
    {
        Assert.Null(Expander().Expand(Entry("chdir", "/srv/%(name", 1)));

        Assert.Equal("'%(' has no closing ')'; write %% for a literal %", Assert.Single(errors.All).Message);
    }

    [Fact]
    public void Reports_BrokenKey_OnlyWhereItBroke()
    {
        var expander = Expander();
        expander.Expand(Entry("project-path", "/home/%(missing)", 1));

        Assert.Null(expander.Expand(Entry("chdir", "%(project-path)", 2)));
        Assert.Single(errors.All);
    }

    [Fact]
    public void Finds_ReferencedNames_ButNotEscapedOnes()
    {
        var names = IniExpander.Referenced([Entry("a", "%(user-home)/%%(literal)/%(b)", 1)]);

        Assert.Equal(["b", "user-home"], names.Order(StringComparer.Ordinal));
    }

    private static IniEntry Entry(string key, string value, int line, int valueColumn = 1) => new(key, value, line, 1, valueColumn);

    private IniExpander Expander() => new(TestIni.FullPath, TestIni.Environment(), errors);
}
