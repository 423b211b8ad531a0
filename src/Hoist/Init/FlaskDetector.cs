namespace Hoist.Init;

using System.Text.RegularExpressions;

/// <summary>
/// A Flask (or any WSGI) app: wsgi.py or app.py with its app object at top level (<c>app = Flask(__name__)</c>,
/// <c>app = app_factory()</c>), or a package with an app factory (<c>def create_app(</c>, Flask's tutorial).
/// </summary>
internal static partial class FlaskDetector
{
    private static readonly string[] Files = ["wsgi.py", "app.py"];

    public static DetectedProject? Detect(ProjectFiles files)
    {
        foreach (var file in Files)
        {
            var text = files.Read(file);
            var callable = text is null ? null
                : FlaskObject().Match(text) is { Success: true } flask ? flask.Groups[1].Value
                : AppObject().Match(text) is { Success: true } app ? app.Groups[1].Value
                : null;
            if (callable is not null)
            {
                return Project(files, $"{file} with `{callable} = ...`", text) with { WsgiFile = file, Callable = callable };
            }
        }

        foreach (var init in files.Paths.Where(p => p.EndsWith("/__init__.py", StringComparison.Ordinal) && p.Count(c => c == '/') == 1))
        {
            var text = files.Read(init);
            if (text is not null && Factory().IsMatch(text))
            {
                var package = init[..init.IndexOf('/', StringComparison.Ordinal)];
                return Project(files, $"{init} with `def create_app(`", text) with { Module = package + ":create_app()" };
            }
        }

        return null;
    }

    private static DetectedProject Project(ProjectFiles files, string found, string? text) =>
        // The routes may live anywhere in the package (the seed's do), so every module two levels down is looked at.
        new(ProjectKind.Flask, found, HealthRoute.In([text, .. files.Paths.Where(p => p.EndsWith(".py", StringComparison.Ordinal)).Select(files.Read)]), ["python3-flask", "gunicorn"])
        {
            Requirements = files.Has("requirements.txt") ? "requirements.txt" : null,
            StaticFolder = files.Paths.Any(p => p.StartsWith("static/", StringComparison.Ordinal)) ? "static" : null,
        };

    [GeneratedRegex("^([A-Za-z_][A-Za-z0-9_]*)\\s*=\\s*Flask\\(", RegexOptions.Multiline)]
    private static partial Regex FlaskObject();

    [GeneratedRegex("^(app|application)\\s*=", RegexOptions.Multiline)]
    private static partial Regex AppObject();

    [GeneratedRegex("^def create_app\\(\\s*(\\)|[A-Za-z_][A-Za-z0-9_]*\\s*=)", RegexOptions.Multiline)]
    private static partial Regex Factory();
}
