namespace Hoist.Deploy;

using Hoist.Shell;

/// <summary>
/// Shell variables for the release layout. Scripts set <c>D</c> once (deploy_to, with <c>~/</c> expanded by
/// the host's shell) and name everything else relative to it.
/// </summary>
internal static class DeployPaths
{
    public const string Root = "\"$D\"";
    public const string Current = "\"$D\"/current";
    public const string Releases = "\"$D\"/releases";
    public const string Shared = "\"$D\"/shared";
    public const string State = "\"$D\"/.hoist";
    public const string Lock = "\"$D\"/.hoist/lock";
    public const string Audit = "\"$D\"/.hoist/audit.log";
    public const string History = "\"$D\"/.hoist/history";
    public const string Repo = "\"$D\"/repo";

    /// <summary><c>D=...</c>: an absolute path quoted as is, or <c>~/x</c> as <c>"$HOME"/x</c>.</summary>
    public static ShellCommand AssignRoot(string deployTo) =>
        ShellCommand.Snippet("D=" + OnHost(deployTo.Length > 1 ? deployTo.TrimEnd('/') : deployTo));

    /// <summary>
    /// A path (or URL) as one shell word on the host: a leading <c>~/</c> becomes <c>"$HOME"/</c> with the rest
    /// quoted, so the host's shell expands the home and nothing else.
    /// </summary>
    public static string OnHost(string path) =>
        path == "~" ? "\"$HOME\""
        : path.StartsWith("~/", StringComparison.Ordinal) ? "\"$HOME\"/" + ShellQuote.Quote(path[2..].TrimEnd('/'))
        : ShellQuote.Quote(path);

    /// <summary>A quoted path under a release-layout variable, e.g. <c>"$D"/releases/'my dir'</c>.</summary>
    public static string Under(string variable, string relative) => variable + "/" + ShellQuote.Quote(relative);
}
