namespace Hoist.Tests.Support;

using Hoist.Config;
using Hoist.Remote;
using Hoist.Shell;

/// <summary>Runs a script's report lines in a real bash and reads what it printed as Hoist's runner does (<see cref="HostRun.From"/>).</summary>
internal static class ReportScript
{
    public static readonly HostConfig Host = HostConfig.Local("root");

    /// <summary>A marker line with a nonce that is not this run's, as a build's output could print one.</summary>
    public const string OtherNonce = "::hoist-000000000000:: ";

    public static Task<HostRun> RunAsync(ScriptBuilder script) => RunAsync(script.Build());

    public static async Task<HostRun> RunAsync(Script script)
    {
        var result = await Run.ProcessAsync("bash", ["-c", script.Render(reveal: true)]);
        return HostRun.From(Host, result.ExitCode, Lines(result.Stdout, isError: false).Concat(Lines(result.Stderr, isError: true)));
    }

    /// <summary><c>NAME='value'</c>, the value quoted as every value bound for a shell is.</summary>
    public static ShellCommand Set(string name, string value) => new(new AssignmentPart(name, ShellValue.Plain(value)));

    /// <summary><c>echo 'text'</c> on stdout, or on stderr: output of the script's own commands, not of Hoist.</summary>
    public static ShellCommand Print(string text, bool toStderr = false) =>
        new("printf", "%s\\n", text, ShellCommand.Raw(toStderr ? ">&2" : ""));

    private static IEnumerable<(string, bool)> Lines(string text, bool isError) =>
        text.Split('\n').SkipLast(1).Select(l => (l, isError));
}
