namespace Hoist.Tests.Serve.Config;

public sealed class EnvBuilderTests
{
    [Fact]
    public void Accumulates_EnvLines_InOrder()
    {
        var config = TestIni.Valid(TestIni.With("env = B=2\nenv=A = spaced \nenv = DSN=postgres://u@h/db?sslmode=require\nenv = EMPTY=\n"));

        Assert.Equal(
            [new("B", "2"), new("A", " spaced"), new("DSN", "postgres://u@h/db?sslmode=require"), new("EMPTY", "")],
            config.Env);
    }

    [Fact]
    public void Expands_Placeholders_InEnv()
    {
        var config = TestIni.Valid(TestIni.With("root = /srv/shop\nenv = MEDIA=%(root)/media\nenv = HOME_DIR=$(HOME)\n"));

        Assert.Equal([new("MEDIA", "/srv/shop/media"), new("HOME_DIR", "/home/me")], config.Env);
    }

    [Fact]
    public void Rejects_EnvWithoutEquals()
    {
        Assert.Equal("app.ini:4:7: env: expected NAME=value, got 'DEBUG'", TestIni.Single(TestIni.With("env = DEBUG\n")));
    }

    [Fact]
    public void Rejects_BadName()
    {
        Assert.Equal(
            "app.ini:4:7: env: '1X' is not a valid variable name; use letters, digits and '_', not starting with a digit",
            TestIni.Single(TestIni.With("env = 1X=y\n")));
    }

    [Fact]
    public void Rejects_NameSetTwice()
    {
        Assert.Equal("app.ini:5:7: env: env A is set twice (lines 4 and 5); remove one", TestIni.Single(TestIni.With("env = A=1\nenv = A=2\n")));
    }
}
