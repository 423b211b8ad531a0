namespace Hoist.Tests.Examples;

using System.Diagnostics;
using Hoist.Tests.Support;

/// <summary>
/// examples/aspnet, published once per test class into a folder laid out like a Hoist release
/// (releases/&lt;id&gt; with a REVISION file, and a `current` link to it).
/// </summary>
public sealed class AspnetExample : IAsyncLifetime
{
    public const string ReleaseId = "20260101120000";
    public const string Revision = "upload-test1234";

    public TempDir Dir { get; } = new("hoist-aspnet");

    public string Release => Dir.Combine("releases", ReleaseId);

    public string Current => Dir.Combine("current");

    public async Task InitializeAsync()
    {
        // The artifacts path keeps bin/ and obj/ out of the source folder, so the test neither
        // races nor dirties a developer's own build of the example.
        var result = await PublishAsync(
            Path.Combine(SourceTree.Root, "examples", "aspnet"), "-c", "Release", "-o", Release,
            "--artifacts-path", Dir.Combine("artifacts"), "--disable-build-servers", "-nodeReuse:false", "--nologo");
        Assert.True(result.ExitCode == 0, $"dotnet publish examples/aspnet failed: {result}");
        File.WriteAllText(Path.Combine(Release, "REVISION"), Revision + "\n");
        File.CreateSymbolicLink(Current, Path.Combine("releases", ReleaseId));
    }

    public Task DisposeAsync()
    {
        Dir.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Starts a worker as `hoist serve` would: from `current`, with PORT, ASPNETCORE_URLS and HOIST_WORKER set.</summary>
    public Task<AspnetApp> StartAsync(string worker = "1") => AspnetApp.StartAsync(Current, worker);

    private static async Task<RunResult> PublishAsync(string project, params string[] args)
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
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet publish {project} did not finish in 5 minutes");
        }

        return new RunResult(process.ExitCode, await stdout, await stderr);
    }
}
