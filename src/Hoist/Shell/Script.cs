namespace Hoist.Shell;

using System.Text;

/// <summary>A bash script sent whole to one host over one exec channel; built, never executed, here.</summary>
internal sealed record Script(string Name, IReadOnlyList<ShellCommand> Lines)
{
    /// <summary>Run as root on the host (through <c>sudo -n</c> when Hoist logs in as another user).</summary>
    public bool AsRoot { get; init; }

    /// <summary>
    /// A marker key the script reports once the host's .env values have come back (<c>HostSecrets</c>): until the
    /// runner has read it, the host's other output is held, not shown, since it may echo one of them. Null: none held.
    /// </summary>
    public ReportKey? ShowAfter { get; init; }

    /// <summary>
    /// The script as bash reads it from stdin. The body is a function called on the last line, so bash
    /// has parsed all of it before any command runs: a payload after it (a tar) is read by the commands,
    /// never by bash as script text.
    /// </summary>
    public string Render(bool reveal)
    {
        var text = new StringBuilder();
        text.Append("hoist_main() {\nset -euo pipefail\n");
        foreach (var line in Lines)
        {
            text.Append(line.Render(reveal)).Append('\n');
        }

        text.Append("}\nhoist_main; exit $?\n");
        return text.ToString();
    }

    /// <summary>The lines as a person reads them in --dry-run and --verbose, secrets redacted.</summary>
    public string Show() => string.Join('\n', Lines.Select(l => l.Render(reveal: false)));
}
