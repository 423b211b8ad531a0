namespace Hoist.Tests.Support;

/// <summary>
/// Where Flask's tutorial app (flaskr, examples/tutorial of pallets/flask) comes from: HOIST_FLASKR_SOURCE, either
/// <c>GIT_DIR@COMMIT</c> (a clone, bare or not, of Flask's repository) or a folder holding the tutorial's files
/// (flaskr/, pyproject.toml); by default the mirror of Flask's repository on the build machine. The code is not in
/// Hoist's repository and a test never fetches it (CI has no GitHub access).
/// </summary>
public static class FlaskrSource
{
    public const string Variable = "HOIST_FLASKR_SOURCE";

    public const string Default = "/work/.mirror/pallets+flask/repo@2ac89889";

    public static string Spec => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } set ? set : Default;

    /// <summary>Why the source cannot be used, or null when it can.</summary>
    public static string? Missing() => Missing(Spec);

    /// <summary>Why <paramref name="spec"/> (a value of HOIST_FLASKR_SOURCE) cannot be used, or null when it can.</summary>
    public static string? Missing(string spec)
    {
        const string Fix = $"set {Variable} to GIT_DIR@COMMIT of a clone of pallets/flask, or to a folder of its examples/tutorial";
        var (path, commit) = Parse(spec);
        if (commit is null)
        {
            return File.Exists(Path.Combine(path, "flaskr", "__init__.py")) ? null : $"{Variable}={spec}: no flaskr/__init__.py in that folder; {Fix}";
        }

        return Directory.Exists(path) ? null : $"{Variable}={spec}: no git directory {path}; {Fix}";
    }

    /// <summary>Writes the tutorial's files (examples/tutorial's content, unmodified) into <paramref name="folder"/>.</summary>
    public static async Task CopyToAsync(string folder)
    {
        var (source, commit) = Parse(Spec);
        Directory.CreateDirectory(folder);
        if (commit is null)
        {
            await Run.ShellAsync($"cp -a {ShellQuoted(source)}/. {ShellQuoted(folder)}/");
            return;
        }

        await Run.ShellAsync($"git --git-dir={ShellQuoted(source)} archive --format=tar {ShellQuoted(commit + ":examples/tutorial")} | tar -x -f - -C {ShellQuoted(folder)}");
    }

    private static (string Path, string? Commit) Parse(string spec) =>
        spec.LastIndexOf('@') is var at and > 0 && !Directory.Exists(spec) ? (spec[..at], spec[(at + 1)..]) : (spec, null);

    private static string ShellQuoted(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
