namespace Hoist.Tests.Serve.Config;

using Hoist.Serve.Config;

/// <summary>Loads ini text for tests as if it were /srv/app/conf/app.ini, with a small, fixed environment.</summary>
internal static class TestIni
{
    public const string File = "app.ini";

    public const string FullPath = "/srv/app/conf/app.ini";

    public const string Folder = "/srv/app/conf";

    public static Dictionary<string, string> Environment() => new() { ["HOME"] = "/home/me", ["USER"] = "me" };

    public static ServeConfigResult Load(string ini, Dictionary<string, string>? environment = null) =>
        ServeIni.LoadText(ini, File, FullPath, environment ?? Environment());

    public static ServeConfig Valid(string ini, Dictionary<string, string>? environment = null)
    {
        var result = Load(ini, environment);
        Assert.True(result.Succeeded, string.Join('\n', result.Errors));
        Assert.Empty(result.Errors);
        return result.Config;
    }

    /// <summary>The errors, as printed: "app.ini:LINE:COL: KEY: MESSAGE".</summary>
    public static IReadOnlyList<string> Errors(string ini, Dictionary<string, string>? environment = null)
    {
        var result = Load(ini, environment);
        Assert.Null(result.Config);
        Assert.NotEmpty(result.Errors);
        return result.Errors.Select(e => e.ToString()).ToList();
    }

    public static string Single(string ini, Dictionary<string, string>? environment = null) =>
        Assert.Single(Errors(ini, environment));

    /// <summary>A section that loads (lines 1-3), plus <paramref name="lines"/> from line 4 on.</summary>
    public static string With(string lines) => $"[uwsgi]\nhttp-socket = 127.0.0.1:8000\ncommand = ./server\n{lines}";
}
