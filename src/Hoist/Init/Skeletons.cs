namespace Hoist.Init;

/// <summary>
/// The small apps <c>hoist init --template KIND</c> writes into an empty folder (the seed's "skeletons"): each
/// answers <c>GET /up</c> with 200 (the health check hoist serve and the config ask) and <c>GET /</c> with a line,
/// with nothing to install beyond what the config's setup.packages name.
/// </summary>
internal static class Skeletons
{
    public static IReadOnlyList<SkeletonFile> For(ProjectKind kind, string app) => kind switch
    {
        ProjectKind.Flask => FlaskSkeleton.Files(app),
        ProjectKind.Django => DjangoSkeleton.Files(app),
        ProjectKind.Aspnet => AspnetSkeleton.Files(app),
        ProjectKind.Node => NodeSkeleton.Files(app),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>The .gitignore of each kind: what a build or a run leaves that is never committed.</summary>
    public static string GitIgnore(ProjectKind kind) => kind switch
    {
        ProjectKind.Flask or ProjectKind.Django => "__pycache__/\n*.pyc\nvenv/\n.venv/\n.env\n",
        ProjectKind.Aspnet => "bin/\nobj/\n.env\n",
        ProjectKind.Node => "node_modules/\nnpm-debug.log*\n.env\n",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
