namespace Hoist.Output;

using Hoist.Config;

/// <summary>Where progress and host output go: a live display for people, plain lines otherwise.</summary>
internal interface IReporter
{
    /// <summary>Runs <paramref name="work"/> while showing per-host progress for <paramref name="hosts"/>.</summary>
    Task<T> TrackAsync<T>(string title, IReadOnlyList<HostConfig> hosts, Func<Task<T>> work);

    void Step(HostConfig host, string step);

    void Output(HostConfig host, string line, bool isError);

    void HostDone(HostConfig host, bool ok, string summary);

    void Info(string line);

    void Warn(string line);

    /// <summary>Shown only with --verbose (scripts, with secrets redacted).</summary>
    void Verbose(HostConfig host, string text);
}
