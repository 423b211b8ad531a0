namespace Hoist.Tests.Serve.Config;

using Hoist.Serve.Config;

public sealed class IniParserTests
{
    [Fact]
    public void Reads_KeyValue_WithOrWithoutSpaces()
    {
        var entries = Parse("[uwsgi]\nmaster=true\n  processes   =   5  \nchdir =/srv\n", out var errors);

        Assert.Equal(0, errors.Count);
        Assert.Equal(
            [new IniEntry("master", "true", 2, 1, 8), new IniEntry("processes", "5", 3, 3, 19), new IniEntry("chdir", "/srv", 4, 1, 8)],
            entries);
    }

    [Fact]
    public void Skips_Comments_AndBlankLines()
    {
        var entries = Parse("; top\n[uwsgi]\n\n  # indented\n\t; tab\nmaster = true\r\n", out var errors);

        Assert.Equal(0, errors.Count);
        Assert.Equal("master", Assert.Single(entries).Key);
    }

    [Fact]
    public void Keeps_Hash_InsideValue()
    {
        var entries = Parse("[uwsgi]\nenv = COLOR=#fff ; not a comment\n", out _);

        Assert.Equal("COLOR=#fff ; not a comment", Assert.Single(entries).Value);
    }

    [Fact]
    public void Rejects_KeyOutsideSection()
    {
        var error = Assert.Single(TestIni.Errors("master = true\n[uwsgi]\nhttp-socket = :80\ncommand = x\n"));

        Assert.Equal("app.ini:1:1: master: 'master' is outside any section; put it under [uwsgi]", error);
    }

    [Fact]
    public void Rejects_KeyInOtherSection_NamingItsLine()
    {
        var error = Assert.Single(TestIni.Errors(TestIni.With("[app]\n  debug = 1\n")));

        Assert.Equal("app.ini:5:3: debug: 'debug' is in section [app], which Hoist does not read; put it under [uwsgi]", error);
    }

    [Fact]
    public void Rejects_LineWithoutEquals()
    {
        var error = Assert.Single(TestIni.Errors(TestIni.With("vacuum\n")));

        Assert.Equal("app.ini:4:1: expected 'key = value', got 'vacuum'; comments start with ';' or '#'", error);
    }

    [Fact]
    public void Recovers_FromHeaderWithoutBracket()
    {
        var error = Assert.Single(TestIni.Errors("[uwsgi\nhttp-socket = :80\ncommand = x\n"));

        Assert.Equal("app.ini:1:1: section header '[uwsgi' has no closing ']'; write [uwsgi]", error);
    }

    [Fact]
    public void Rejects_FileWithoutSection()
    {
        Assert.Equal("app.ini:1:1: no [uwsgi] section; Hoist reads its settings from there (see examples/serve.example.ini)", TestIni.Single(""));
    }

    private static IReadOnlyList<IniEntry> Parse(string text, out ServeErrors errors)
    {
        errors = new ServeErrors("app.ini");
        return IniParser.Parse(text, errors, out _);
    }
}
