namespace Hoist.Remote;

using Hoist.Config;

/// <summary>What one script did on one host: its exit status, what it reported, the last step it began, its last lines (<see cref="KeptOutput"/>).</summary>
/// <remarks>Its markers are read through the report type of its script (<see cref="Shell.ReportKey"/>), where each key is spelt once.</remarks>
internal sealed record HostRun(HostConfig Host, int ExitCode, IReadOnlyList<KeyValuePair<string, string>> Markers, IReadOnlyList<string> Output)
{
    public bool Ok => ExitCode == 0;

    /// <summary>Why the connection to the host was lost during the script (its exit code is then 255), or null.</summary>
    public string? Lost { get; init; }

    /// <summary>True when hoist stopped this host's script because another host's had failed (<see cref="Fleet.RunAsync"/>'s stopOnFailure).</summary>
    public bool Stopped { get; init; }

    public string? LastStep => Shell.ScriptMarkers.Step.Last(this);

    /// <summary>The last few lines of output, to explain a failure.</summary>
    public string Tail(int lines = 5) => string.Join('\n', Output.TakeLast(lines));

    /// <summary>Splits output into markers (stdout only: stderr is never trusted) and lines for people, as a run keeps them.</summary>
    public static HostRun From(HostConfig host, int exitCode, IEnumerable<(string Line, bool IsError)> lines)
    {
        var kept = new KeptOutput();
        foreach (var (line, isError) in lines)
        {
            if (!isError && Shell.Marker.TryParse(line, out var key, out var value))
            {
                kept.Marker(key, value);
            }
            else
            {
                kept.Line(line);
            }
        }

        return kept.ToRun(host, exitCode);
    }
}
