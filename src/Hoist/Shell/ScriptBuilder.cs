namespace Hoist.Shell;

/// <summary>Collects script lines; steps announce themselves so a failure can name the step.</summary>
internal sealed class ScriptBuilder(string name)
{
    private readonly List<ShellCommand> lines = [];
    private ReportKey? showAfter;

    public ScriptBuilder Line(params ShellPart[] parts)
    {
        lines.Add(new ShellCommand(parts));
        return this;
    }

    public ScriptBuilder Line(ShellCommand command)
    {
        lines.Add(command);
        return this;
    }

    public ScriptBuilder Raw(string text) => Line(ShellCommand.Raw(text));

    /// <summary>Marks the start of a step; the runner reads it from stdout and reports it per host.</summary>
    /// <remarks>
    /// One line, whatever the step names (a build command of several lines, from a YAML block): a line break in a
    /// marker would end its value there and print the rest as if the host had said it. Shown as <c>\n</c>.
    /// </remarks>
    public ScriptBuilder Step(string step) =>
        Line("echo", ScriptMarkers.Step.LineStart + step.TrimEnd('\r', '\n').Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal));

    /// <summary>Reports a value back to Hoist: <c>echo ::hoist-NONCE:: key=VALUE</c>, VALUE being shell syntax.</summary>
    public ScriptBuilder Report(ReportKey key, string shellValue) => Line(key.Echo(shellValue));

    /// <summary>Holds the host's output until the script has reported <paramref name="key"/> (<see cref="Script.ShowAfter"/>).</summary>
    public ScriptBuilder ShowAfter(ReportKey key)
    {
        showAfter = key;
        return this;
    }

    public Script Build() => new(name, lines.ToList()) { ShowAfter = showAfter };
}
