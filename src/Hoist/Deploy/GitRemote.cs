namespace Hoist.Deploy;

using Hoist.Config;
using Hoist.Shell;

/// <summary>
/// How a host's git is pointed at <c>repo</c>, the same for deploy and <c>hoist check</c>: <c>G</c> holds the
/// repository as the host sees it (a leading <c>~/</c> expanded by its shell), it always follows <c>--</c>, and git
/// itself refuses any transport but the allowed ones (a second guard after config load, covering submodules too).
/// </summary>
internal static class GitRemote
{
    public const string AllowedProtocols = "ssh:https:http:git:file";

    /// <summary>The repository, once <see cref="Assign"/> has run.</summary>
    public const string Url = "\"$G\"";

    public static ShellCommand Assign(GitSource git) =>
        ShellCommand.Snippet($"G={DeployPaths.OnHost(git.Repo)}; export GIT_ALLOW_PROTOCOL={AllowedProtocols}");
}
