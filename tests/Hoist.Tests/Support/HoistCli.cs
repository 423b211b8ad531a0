namespace Hoist.Tests.Support;

using System.Diagnostics;

/// <summary>The real hoist executable (built next to the tests), run as a separate process.</summary>
internal static class HoistCli
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "hoist.dll");

    public static Task<RunResult> RunAsync(string workingDirectory, params string[] args) =>
        Run.ProcessAsync("dotnet", [Dll, .. args], workingDirectory, Environment());

    public static Task<RunResult> RunAsync(string workingDirectory, IDictionary<string, string> environment, params string[] args)
    {
        var merged = Environment();
        foreach (var (key, value) in environment)
        {
            merged[key] = value;
        }

        return Run.ProcessAsync("dotnet", [Dll, .. args], workingDirectory, merged);
    }

    /// <summary>As <see cref="RunAsync(string, IDictionary{string, string}, string[])"/>, killed after <paramref name="timeout"/> (a TimeoutException).</summary>
    public static Task<RunResult> RunAsync(string workingDirectory, IDictionary<string, string> environment, TimeSpan timeout, params string[] args)
    {
        var merged = Environment();
        foreach (var (key, value) in environment)
        {
            merged[key] = value;
        }

        return Run.ProcessAsync("dotnet", [Dll, .. args], workingDirectory, merged, timeout);
    }

    /// <summary>Runs another hoist executable (such as the self-contained one the machines get) the same way.</summary>
    public static Task<RunResult> RunBinaryAsync(string binary, string workingDirectory, TimeSpan timeout, params string[] args) =>
        Run.ProcessAsync(binary, args, workingDirectory, Environment(), timeout);

    /// <summary>
    /// Runs hoist under /usr/bin/time and returns the child's peak resident memory too (KiB). The GC heap is capped so a
    /// run that balloons fails with an out-of-memory error instead of taking the shared machine's memory.
    /// </summary>
    public static async Task<(RunResult Result, long PeakRssKiB)> RunMeasuredAsync(string workingDirectory, TimeSpan timeout, params string[] args)
    {
        var report = Path.Combine(workingDirectory, $".time-{Guid.NewGuid():N}");
        var environment = Environment();
        environment["DOTNET_GCHeapHardLimit"] = "0x30000000";
        var result = await Run.ProcessAsync("/usr/bin/time", ["-f", "%M", "-o", report, "dotnet", Dll, .. args], workingDirectory, environment, timeout);
        var rss = long.Parse(File.ReadAllLines(report).Last(l => l.Length > 0 && char.IsDigit(l[0])), System.Globalization.CultureInfo.InvariantCulture);
        File.Delete(report);
        return (result, rss);
    }

    /// <summary>Starts hoist for a test that signals it, with SIGINT and SIGTERM at their defaults.</summary>
    /// <remarks>
    /// A test run started in the background of a non-interactive shell inherits SIGINT ignored, and so would hoist;
    /// `env --default-signal` gives it the disposition a terminal's Ctrl-C finds.
    /// </remarks>
    public static Process Start(string workingDirectory, params string[] args) =>
        Run.Start("env", ["--default-signal=INT,TERM", "dotnet", Dll, .. args], workingDirectory, Environment());

    public static Process Start(string workingDirectory, IDictionary<string, string> environment, params string[] args)
    {
        var merged = Environment();
        foreach (var (key, value) in environment)
        {
            merged[key] = value;
        }

        return Run.Start("env", ["--default-signal=INT,TERM", "dotnet", Dll, .. args], workingDirectory, merged);
    }

    // An empty SSH_AUTH_SOCK keeps the developer's own ssh-agent out of tests; agent tests set their own.
    private static Dictionary<string, string> Environment() =>
        new() { ["NO_COLOR"] = "1", ["DOTNET_NOLOGO"] = "1", ["SSH_AUTH_SOCK"] = "" };
}
