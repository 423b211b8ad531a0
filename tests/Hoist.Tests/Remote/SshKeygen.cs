using System.Diagnostics;

namespace Hoist.Tests.Remote;

/// <summary>Runs the real ssh-keygen, so tests compare against OpenSSH itself.</summary>
internal static class SshKeygen
{
    public static (int ExitCode, string Output) Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("ssh-keygen")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.Result);
    }

    public static string RunOrThrow(params string[] arguments)
    {
        var (exitCode, output) = Run(arguments);
        return exitCode == 0
            ? output
            : throw new InvalidOperationException($"ssh-keygen {string.Join(' ', arguments)} exited {exitCode}: {output}");
    }
}
