namespace Hoist.Init;

/// <summary>The health-check path a project already answers, guessed from its source.</summary>
internal static class HealthRoute
{
    // In order of preference: the path Hoist's own examples use, then the common names.
    private static readonly string[] Known = ["/up", "/healthz", "/health"];

    /// <summary>The first known health path quoted in any of the texts; else "/", which any app answers somehow.</summary>
    public static string In(params string?[] texts) =>
        Known.FirstOrDefault(path => texts.Any(t => t is not null && Forms(path).Any(form => t.Contains(form, StringComparison.Ordinal))))
        ?? "/";

    // "/up" or '/up' (Flask, Express, ASP.NET); Django's urls.py writes path('up', ...) without the slash.
    private static string[] Forms(string path) => [$"\"{path}\"", $"'{path}'", $"path('{path[1..]}'", $"path(\"{path[1..]}\""];
}
