namespace Hoist.Init;

/// <summary>What <see cref="ProjectDetector"/> found in a project: its kind and how hoist serve runs it.</summary>
/// <param name="Found">What it was recognised by, for the message init prints (e.g. "manage.py and mysite/wsgi.py").</param>
/// <param name="WsgiFile">A WSGI file (flask), with <paramref name="Callable"/>.</param>
/// <param name="Module">A WSGI module: <c>mysite.wsgi</c>, <c>pkg:create_app()</c>.</param>
/// <param name="Command">Any other app's command (node, aspnet), run by bash in the release.</param>
/// <param name="Requirements">A pip requirements file of the project, installed into a venv on each host.</param>
/// <param name="Build">Commands each host runs in the new release (npm ci).</param>
/// <param name="LocalBuild">Commands this machine runs before an upload (dotnet publish).</param>
/// <param name="Upload">The folder sent as each release instead of a git checkout.</param>
/// <param name="Packages">The Debian packages the web hosts need to run it.</param>
/// <param name="HealthPath">The path hoist serve's health check asks.</param>
/// <param name="StaticFolder">A folder of the project nginx serves at /static/, if it has one.</param>
internal sealed record DetectedProject(
    ProjectKind Kind,
    string Found,
    string HealthPath,
    IReadOnlyList<string> Packages)
{
    public string? WsgiFile { get; init; }

    public string? Callable { get; init; }

    public string? Module { get; init; }

    public string? Command { get; init; }

    public string? Requirements { get; init; }

    public IReadOnlyList<string> Build { get; init; } = [];

    public IReadOnlyList<string> LocalBuild { get; init; } = [];

    public string? Upload { get; init; }

    public string? StaticFolder { get; init; }

    /// <summary>Whether the app is Python's, run by gunicorn or waitress.</summary>
    public bool IsPython => Kind is ProjectKind.Flask or ProjectKind.Django;
}
