namespace Hoist.Remote;

using Hoist.Config;

/// <summary>A way to run scripts on one host: over SSH, or on the deploying machine itself.</summary>
internal interface IHostConnection : IAsyncDisposable
{
    HostConfig Host { get; }

    /// <summary>
    /// Runs <c>bash -s</c> with <paramref name="scriptText"/> on stdin, then <paramref name="payload"/> if any once
    /// it is wanted, calling <paramref name="onLine"/> for each output line (true for stderr). Returns the exit status.
    /// </summary>
    /// <param name="asRoot">Run as root: through <c>sudo -n</c> when the login user is not root (hoist setup).</param>
    Task<int> RunAsync(string scriptText, Payload? payload, Action<string, bool> onLine, CancellationToken cancel, bool asRoot = false);

    /// <summary>
    /// Runs <paramref name="command"/> (one line for the login user's shell; no secret in it) attached to hoist's own
    /// streams (<c>hoist run</c>), with a pty when <paramref name="io"/> has a terminal, and says how it ended.
    /// </summary>
    Task<RemoteExit> AttachAsync(string command, AttachIo io, CancellationToken cancel);
}
