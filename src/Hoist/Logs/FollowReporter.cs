namespace Hoist.Logs;

using Hoist.Config;
using Hoist.Output;

/// <summary>
/// What <c>hoist logs -f</c> does with each host's output: lines printed as they arrive, prefixed by host (arrival
/// order is the interleave: no line waits for a later one from another host), the keep-alive beat dropped, lines
/// older than --since (the first lines of each source) left out. Hoist's other messages go to the run's reporter.
/// </summary>
internal sealed class FollowReporter(IReporter inner, TextWriter output, TextWriter error, DateTimeOffset? since) : IReporter
{
    private readonly Lock gate = new();

    public Task<T> TrackAsync<T>(string title, IReadOnlyList<HostConfig> hosts, Func<Task<T>> work) => work();

    public void Step(HostConfig host, string step)
    {
        // The follow script announces no steps.
    }

    public void Output(HostConfig host, string line, bool isError)
    {
        if (line == LogsScript.Beat || (!isError && since is { } from && LogLine.TimeOf(Untagged(line)) is { } time && time < from))
        {
            return;
        }

        lock (gate)
        {
            var writer = isError ? error : output;
            writer.WriteLine(TerminalText.Clean($"[{host.Display}] {line}"));
            writer.Flush();
        }
    }

    public void HostDone(HostConfig host, bool ok, string summary) => inner.HostDone(host, ok, summary);

    public void Info(string line) => inner.Info(line);

    public void Warn(string line) => inner.Warn(line);

    public void Verbose(HostConfig host, string text) => inner.Verbose(host, text);

    private static string Untagged(string line)
    {
        foreach (var tag in new[] { LogsScript.Tag(LogSource.Journal), LogsScript.Tag(LogSource.Nginx) })
        {
            if (line.StartsWith(tag, StringComparison.Ordinal))
            {
                return line[tag.Length..];
            }
        }

        return line;
    }
}
