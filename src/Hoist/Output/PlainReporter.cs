namespace Hoist.Output;

using Hoist.Config;

/// <summary>One line per event, prefixed by host: for logs, pipes and CI; every line cleaned by <see cref="TerminalText"/>.</summary>
internal sealed class PlainReporter(TextWriter output, TextWriter error, bool verbose) : IReporter
{
    private readonly Lock gate = new();

    public Task<T> TrackAsync<T>(string title, IReadOnlyList<HostConfig> hosts, Func<Task<T>> work) => work();

    public void Step(HostConfig host, string step) => Write(output, $"[{host.Display}] -- {step}");

    public void Output(HostConfig host, string line, bool isError) => Write(isError ? error : output, $"[{host.Display}] {line}");

    public void HostDone(HostConfig host, bool ok, string summary) => Write(output, $"[{host.Display}] {(ok ? "ok" : "FAILED")}: {summary}");

    public void Info(string line) => Write(output, line);

    public void Warn(string line) => Write(error, "warning: " + line);

    public void Verbose(HostConfig host, string text)
    {
        if (verbose)
        {
            Write(output, string.Join('\n', text.Split('\n').Select(l => $"[{host.Display}] $ {l}")));
        }
    }

    private void Write(TextWriter writer, string text)
    {
        lock (gate)
        {
            writer.WriteLine(TerminalText.Clean(text));
            writer.Flush();
        }
    }
}
