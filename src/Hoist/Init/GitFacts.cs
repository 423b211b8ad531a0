namespace Hoist.Init;

using System.Diagnostics;

/// <summary>What the project's own git says: its origin and its branch, the defaults of repo and branch.</summary>
internal static class GitFacts
{
    /// <summary><c>git remote get-url origin</c> in the folder, or null (no git, no repository, no origin).</summary>
    public static string? Origin(string folder) => Git(folder, "remote", "get-url", "origin");

    /// <summary>The branch checked out in the folder, or null.</summary>
    public static string? Branch(string folder) => Git(folder, "symbolic-ref", "--short", "-q", "HEAD");

    /// <summary>The root of the repository the folder is in, or null.</summary>
    public static string? TopLevel(string folder) => Git(folder, "rev-parse", "--show-toplevel");

    private static string? Git(string folder, params string[] args)
    {
        var start = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        start.ArgumentList.Add("-C");
        start.ArgumentList.Add(folder);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // Never a prompt or a pager: init only reads local facts.
        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        try
        {
            using var git = Process.Start(start)!;
            git.StandardInput.Close();
            var errors = git.StandardError.ReadToEndAsync();
            var output = git.StandardOutput.ReadToEnd().Trim();
            if (!git.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                git.Kill(entireProcessTree: true);
                return null;
            }

            _ = errors.Result;
            return git.ExitCode == 0 && output.Length > 0 && !output.Any(char.IsControl) ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No git on this machine: the defaults apply.
            return null;
        }
    }
}
