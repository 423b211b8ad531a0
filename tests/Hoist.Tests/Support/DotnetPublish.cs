namespace Hoist.Tests.Support;

using System.Diagnostics;

/// <summary>`dotnet publish` of a project in this checkout, from inside a test run.</summary>
internal static class DotnetPublish
{
    public static async Task<RunResult> RunAsync(string project, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("publish");
        start.ArgumentList.Add(project);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // The test host may run inside an MSBuild-launched `dotnet test`; its variables must not steer this build.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet publish {project} did not finish in 8 minutes");
        }

        return new RunResult(process.ExitCode, await stdout, await stderr);
    }
}
