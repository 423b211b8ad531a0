namespace Hoist.Init;

using Hoist.Core;
using Hoist.Deploy;

/// <summary>What the project's own git says: its origin and its branch, the defaults of repo and branch.</summary>
internal static class GitFacts
{
    /// <summary>Never a prompt: init only reads local facts.</summary>
    private static readonly Dictionary<string, string> NoPrompt = new() { ["GIT_TERMINAL_PROMPT"] = "0" };

    /// <summary><c>git remote get-url origin</c> in the folder, or null (no git, no repository, no origin).</summary>
    public static string? Origin(string folder) => Git(folder, "remote", "get-url", "origin");

    /// <summary>The branch checked out in the folder, or null.</summary>
    public static string? Branch(string folder) => Git(folder, "symbolic-ref", "--short", "-q", "HEAD");

    /// <summary>The root of the repository the folder is in, or null.</summary>
    public static string? TopLevel(string folder) => Git(folder, "rev-parse", "--show-toplevel");

    private static string? Git(string folder, params string[] args)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            var git = LocalGit.RunAsync(["-C", folder, .. args], timeout.Token, extra: NoPrompt).GetAwaiter().GetResult();
            var output = git.Output.Trim();
            return git.ExitCode == 0 && output.Length > 0 && !output.Any(char.IsControl) ? output : null;
        }
        catch (Exception e) when (e is HoistException or OperationCanceledException)
        {
            // No git on this machine, or one that does not answer: the defaults apply.
            return null;
        }
    }
}
