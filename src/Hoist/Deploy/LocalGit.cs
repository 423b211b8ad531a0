namespace Hoist.Deploy;

using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using Hoist.Core;

/// <summary>
/// Runs the deploying machine's own <c>git</c> for <c>fetch: local</c>: no shell (arguments go to git as they are), the
/// user's environment as git would see it (their ssh-agent, credential helpers, ~/.gitconfig), plus the transports a
/// host's git is limited to (<see cref="GitRemote.AllowedProtocols"/>) and any <c>extra</c> variables.
/// </summary>
internal static class LocalGit
{
    /// <summary>The last lines of git's stderr kept for an error message: enough to say why, bounded whatever git prints.</summary>
    private const int KeptErrorLines = 8;

    /// <param name="output">Where git's stdout goes; null keeps it (as text) in the result.</param>
    public static async Task<LocalGitResult> RunAsync(
        IReadOnlyList<string> arguments, CancellationToken cancel, Stream? output = null, IReadOnlyDictionary<string, string>? extra = null)
    {
        var start = new ProcessStartInfo("git", arguments)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["GIT_ALLOW_PROTOCOL"] = GitRemote.AllowedProtocols;
        foreach (var (name, value) in extra ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new Win32Exception("git did not start");
        }
        catch (Win32Exception e)
        {
            throw new HoistException(
                $"fetch: local runs git on this machine, and git could not be started here ({e.Message}); " +
                "install it (Debian: apt-get install git) or put it on PATH, or use fetch: host to let each host fetch the repository; nothing was changed on any host");
        }

        using (process)
        {
            process.StandardInput.Close();
            var errors = new Queue<string>();
            var stderr = Task.Run(async () =>
            {
                while (await process.StandardError.ReadLineAsync(CancellationToken.None).ConfigureAwait(false) is { } line)
                {
                    errors.Enqueue(line);
                    if (errors.Count > KeptErrorLines)
                    {
                        errors.Dequeue();
                    }
                }
            }, CancellationToken.None);
            var text = new MemoryStream();
            await using (cancel.Register(() => Kill(process)))
            {
                await process.StandardOutput.BaseStream.CopyToAsync(output ?? text, CancellationToken.None).ConfigureAwait(false);
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                await stderr.ConfigureAwait(false);
            }

            cancel.ThrowIfCancellationRequested();
            return new LocalGitResult(process.ExitCode, Encoding.UTF8.GetString(text.ToArray()), string.Join("; ", errors.Where(l => l.Trim().Length > 0)));
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }
}
