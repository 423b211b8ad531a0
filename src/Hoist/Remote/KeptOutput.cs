namespace Hoist.Remote;

using Hoist.Config;

/// <summary>
/// What is kept of one script's output on one host: every marker Hoist's script reported, and the last
/// <see cref="MaxLines"/> lines for people (each already redacted and cut), which is all an error message quotes.
/// </summary>
/// <remarks>A build printing 60 MB costs these few lines, not its size (each host's, at once, on a fleet).</remarks>
internal sealed class KeptOutput
{
    public const int MaxLines = 20;

    private readonly List<KeyValuePair<string, string>> markers = [];
    private readonly Queue<string> lines = new();

    public void Marker(string key, string value)
    {
        lock (markers)
        {
            markers.Add(new(key, value));
        }
    }

    public void Line(string line)
    {
        lock (markers)
        {
            if (lines.Count == MaxLines)
            {
                lines.Dequeue();
            }

            lines.Enqueue(line);
        }
    }

    public HostRun ToRun(HostConfig host, int exitCode)
    {
        lock (markers)
        {
            return new HostRun(host, exitCode, markers.ToList(), lines.ToList());
        }
    }
}
