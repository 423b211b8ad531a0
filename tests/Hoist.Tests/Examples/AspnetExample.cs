namespace Hoist.Tests.Examples;

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
        var result = await DotnetPublish.RunAsync(
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
}
