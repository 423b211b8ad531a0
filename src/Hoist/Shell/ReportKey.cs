namespace Hoist.Shell;

using Hoist.Remote;

/// <summary>
/// One key a script reports a value under (<see cref="Marker"/>): the lines that print it and the reading of it go
/// through the same object, so a key is spelt once, in the report type that owns it.
/// </summary>
internal sealed record ReportKey
{
    /// <summary>The shell variable that setup's bigger scripts keep the prefix in (<see cref="AssignPrefix"/>), for <see cref="EchoViaPrefix"/>.</summary>
    public const string PrefixVariable = "M";

    public ReportKey(string name)
    {
        // A key is Hoist's own word: a space or '=' in it would make its lines parse as another key.
        if (name.Length == 0 || !name.All(c => c is (>= 'a' and <= 'z') or '_'))
        {
            throw new ArgumentException($"report key '{name}' must be lower-case letters and '_'", nameof(name));
        }

        Name = name;
    }

    public string Name { get; }

    /// <summary><c>M='::hoist-NONCE:: '</c>: the line that lets a script's own text report through <see cref="EchoViaPrefix"/>.</summary>
    public static string AssignPrefix => $"{PrefixVariable}={ShellQuote.Quote(Marker.Prefix)}";

    /// <summary>What a marker line of this key starts with, for a script that prints it with printf.</summary>
    public string LineStart => Marker.Prefix + Name + "=";

    /// <summary><c>echo "::hoist-NONCE:: key=VALUE"</c> as a script line, <paramref name="shellValue"/> being shell syntax inside double quotes.</summary>
    public ShellCommand Echo(string shellValue) => new(ShellCommand.Raw("echo"), ShellCommand.Raw($"\"{LineStart}{shellValue}\""));

    /// <summary>The same as text, for a line that does more than report (<c>if ...; then echo ...; fi</c>).</summary>
    public string EchoText(string shellValue) => Echo(shellValue).Render(reveal: false);

    /// <summary><c>echo "${M}key=VALUE"</c>, for scripts that set <see cref="AssignPrefix"/> once.</summary>
    public string EchoViaPrefix(string shellValue) => $"echo \"${{{PrefixVariable}}}{Name}={shellValue}\"";

    /// <summary>The last value the run reported under this key, or null.</summary>
    public string? Last(HostRun run) => run.Markers.LastOrDefault(m => m.Key == Name).Value;

    /// <summary>Every value the run reported under this key, in order.</summary>
    public IEnumerable<string> All(HostRun run) => run.Markers.Where(m => m.Key == Name).Select(m => m.Value);

    public override string ToString() => Name;
}
