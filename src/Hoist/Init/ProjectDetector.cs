namespace Hoist.Init;

using Hoist.Core;

/// <summary>
/// Tells what kind of app a project is from its files (pure: a listing and a few small reads), for the hoist.yml
/// <c>hoist init</c> writes. One kind found is the answer; none, or more than one, is an error that says what was
/// looked for and suggests --template.
/// </summary>
internal static class ProjectDetector
{
    public const string LookedFor =
        "manage.py with its settings package's wsgi.py (django); wsgi.py or app.py with `app = Flask(...)` (or an `app`/`application` " +
        "object), or a package with `def create_app(` (flask); a *.csproj (aspnet); package.json (node)";

    public static DetectedProject Detect(ProjectFiles files, string folder, ProjectKind? template)
    {
        if (template is { } only)
        {
            return DetectKind(files, only) ?? throw HoistException.Usage(
                $"--template {Name(only)}: {folder} holds no {Name(only)} app: looked for {LookedFor}. " +
                "In a folder that is not empty, hoist init describes the app that is there; to start a new one, run it in an empty folder");
        }

        var found = Enum.GetValues<ProjectKind>().Select(kind => DetectKind(files, kind)).OfType<DetectedProject>().ToList();
        return found switch
        {
            [var one] => one,
            [] => throw HoistException.Usage(
                $"found no app that hoist init knows in {folder}: looked for {LookedFor}. Pass --template flask|django|aspnet|node " +
                "in an empty folder to start one, or write hoist.yml from examples/hoist.example.yml"),
            _ => throw HoistException.Usage(
                $"{folder} looks like more than one kind of app: {string.Join("; ", found.Select(f => $"{Name(f.Kind)} ({f.Found})"))}; " +
                $"say which with {string.Join(" or ", found.Select(f => "--template " + Name(f.Kind)))}"),
        };
    }

    public static string Name(ProjectKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>"a flask app", "an aspnet app".</summary>
    public static string AnApp(ProjectKind kind) => (kind == ProjectKind.Aspnet ? "an " : "a ") + Name(kind) + " app";

    private static DetectedProject? DetectKind(ProjectFiles files, ProjectKind kind) => kind switch
    {
        ProjectKind.Django => DjangoDetector.Detect(files),
        ProjectKind.Flask => FlaskDetector.Detect(files),
        ProjectKind.Aspnet => AspnetDetector.Detect(files),
        ProjectKind.Node => NodeDetector.Detect(files),
        _ => null,
    };
}
