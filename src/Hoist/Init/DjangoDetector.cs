namespace Hoist.Init;

using System.Text.RegularExpressions;

/// <summary>A Django project as startproject makes it: manage.py naming its settings package, which has wsgi.py.</summary>
internal static partial class DjangoDetector
{
    public static DetectedProject? Detect(ProjectFiles files)
    {
        var manage = files.Read("manage.py");
        if (manage is null)
        {
            return null;
        }

        // manage.py names the settings module; else any package with both settings.py and wsgi.py will do.
        var named = SettingsModule().Match(manage) is { Success: true } m ? m.Groups[1].Value : null;
        var package = named is not null && files.Has(named + "/wsgi.py")
            ? named
            : files.Paths.Where(p => p.EndsWith("/wsgi.py", StringComparison.Ordinal) && p.Count(c => c == '/') == 1)
                .Select(p => p[..p.IndexOf('/', StringComparison.Ordinal)])
                .FirstOrDefault(p => files.Has(p + "/settings.py"));
        if (package is null)
        {
            return null;
        }

        var requirements = files.Has("requirements.txt") ? "requirements.txt" : null;
        var urls = files.Read(package + "/urls.py");
        return new DetectedProject(ProjectKind.Django, $"manage.py and {package}/wsgi.py", HealthRoute.In(urls), ["python3-django", "gunicorn"])
        {
            Module = package + ".wsgi",
            Requirements = requirements,
            StaticFolder = files.Paths.Any(p => p.StartsWith("static/", StringComparison.Ordinal)) ? "static" : null,
        };
    }

    [GeneratedRegex("DJANGO_SETTINGS_MODULE['\"]\\s*,\\s*['\"]([A-Za-z_][A-Za-z0-9_]*)\\.settings['\"]")]
    private static partial Regex SettingsModule();
}
