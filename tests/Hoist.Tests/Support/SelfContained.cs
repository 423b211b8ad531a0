namespace Hoist.Tests.Support;

/// <summary>
/// What the machines run, published once per test run for linux-x64 with the .NET runtime inside (the machines
/// have none): hoist as one file (the README's advice for servers: setup installs the hoist that runs it), and
/// examples/aspnet. The build output is kept next to the tests, so a later run only rebuilds what changed.
/// </summary>
internal static class SelfContained
{
    private static readonly Lazy<Task<string>> HoistFile = new(() => PublishAsync("hoist", "src/Hoist", "-p:PublishSingleFile=true", "-p:EnableCompressionInSingleFile=true"));
    private static readonly Lazy<Task<string>> AspnetFolder = new(() => PublishAsync("aspnet", "examples/aspnet"));

    private static string Root => Path.Combine(AppContext.BaseDirectory, "self-contained");

    /// <summary>The single-file hoist (its path).</summary>
    public static async Task<string> HoistAsync() => Path.Combine(await HoistFile.Value, "hoist");

    /// <summary>The folder of the published examples/aspnet (HoistDemo is its executable).</summary>
    public static Task<string> AspnetAsync() => AspnetFolder.Value;

    private static async Task<string> PublishAsync(string name, string project, params string[] extra)
    {
        var output = Path.Combine(Root, name, "out");
        if (Directory.Exists(output))
        {
            Directory.Delete(output, recursive: true);
        }

        var result = await DotnetPublish.RunAsync(
            SourceTree.Combine(project.Split('/')), ["-c", "Release", "-r", "linux-x64", "--self-contained", .. extra, "-o", output,
            "--artifacts-path", Path.Combine(Root, name, "artifacts"), "--disable-build-servers", "-nodeReuse:false", "--nologo"]);
        Assert.True(result.ExitCode == 0, $"dotnet publish {project} -r linux-x64 --self-contained failed: {result}");
        return output;
    }
}
