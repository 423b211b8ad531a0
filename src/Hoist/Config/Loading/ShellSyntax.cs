namespace Hoist.Config.Loading;

using System.Diagnostics;

/// <summary>
/// Checks a command's shell syntax with <c>bash -n</c> at load, so a typo fails here, naming the command, instead of
/// making the whole deploy script unparseable on every host. Hoist needs nothing but itself on the deploying
/// machine: where that has no bash, the hosts' bash (which runs the commands) finds the mistake instead.
/// </summary>
internal static class ShellSyntax
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);
    private static readonly Lazy<string?> Bash = new(() => FindBash(Environment.GetEnvironmentVariable("PATH")));

    /// <summary>Null when the command parses (or no bash is here to ask); otherwise bash's complaint.</summary>
    public static string? Problem(string command)
    {
        if (Bash.Value is not { } bash)
        {
            return null;
        }

        // As an argument, never through a shell: bash -n parses it without running anything.
        var start = new ProcessStartInfo(bash, ["-n", "-c", command])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };

        // A non-interactive bash sources $BASH_ENV first; a check must not run the user's start-up files.
        start.Environment.Remove("BASH_ENV");
        start.Environment.Remove("ENV");
        using var process = Process.Start(start);
        if (process is null)
        {
            return null;
        }

        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(Limit))
        {
            process.Kill(entireProcessTree: true);
            return null;
        }

        if (process.ExitCode == 0)
        {
            return null;
        }

        // "/usr/bin/bash: -c: line 1: syntax error near unexpected token `then'" and the line itself: keep the first.
        var first = stderr.Result.Split('\n').FirstOrDefault(l => l.Length > 0) ?? $"bash -n exited {process.ExitCode}";
        var at = first.IndexOf(": -c: ", StringComparison.Ordinal);
        return at >= 0 ? first[(at + ": -c: ".Length)..] : first;
    }

    private static string? FindBash(string? path) =>
        (path ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, "bash"))
            .FirstOrDefault(File.Exists);
}
