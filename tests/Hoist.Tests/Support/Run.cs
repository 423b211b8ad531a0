namespace Hoist.Tests.Support;

using System.Diagnostics;

/// <summary>Runs a program to completion and captures what it printed.</summary>
internal static class Run
{
    public static async Task<RunResult> ProcessAsync(string file, IEnumerable<string> args, string? workingDirectory = null,
        IDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        using var process = Start(file, args, workingDirectory, environment);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in time; output so far: {await stdout}{await stderr}");
        }

        return new RunResult(process.ExitCode, await stdout, await stderr);
    }

    public static Process Start(string file, IEnumerable<string> args, string? workingDirectory = null, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        process.StandardInput.Close();
        return process;
    }

    /// <summary>Runs bash -c, failing the test if it fails.</summary>
    public static async Task<string> ShellAsync(string script, string? workingDirectory = null)
    {
        var result = await ProcessAsync("bash", ["-c", script], workingDirectory);
        Assert.True(result.ExitCode == 0, $"bash -c {script} failed ({result.ExitCode}): {result.Stdout}{result.Stderr}");
        return result.Stdout;
    }

    /// <summary>SIGTERM to a process started with <see cref="Start"/>, then its exit code and everything it printed.</summary>
    public static async Task<RunResult> TerminateAsync(Process process, Task<string> stdout, Task<string> stderr, TimeSpan timeout)
    {
        await ProcessAsync("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        using var cancel = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cancel.Token);
        return new RunResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Kills what is left of a process tree and waits for it, when a test ends early.</summary>
    public static async Task KillAsync(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }
}
