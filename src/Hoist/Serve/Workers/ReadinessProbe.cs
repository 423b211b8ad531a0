namespace Hoist.Serve.Workers;

using Hoist.Serve.Config;
using Hoist.Serve.Front;

/// <summary>
/// Waits until a new worker answers: its health path with 2xx or 3xx (<see cref="IsHealthy"/>), asked with the Host
/// header the app accepts, or, without a health path, its port accepting.
/// </summary>
internal sealed class ReadinessProbe(WorkerConnector connector, string? healthPath, TimeSpan timeout, string? host = null)
{
    private readonly string host = host ?? ServeConfig.DefaultHealthCheckHost;

    /// <summary>
    /// A redirect is an answer from an app that loaded, routed the request and ran its middleware (an https redirect,
    /// a trailing slash): healthy. It is not followed, since it may lead where the worker's own port does not (https,
    /// another host). 4xx and 5xx are not: the app refused the check (a Host it does not allow) or failed.
    /// </summary>
    public static bool IsHealthy(int status) => status is >= 200 and < 400;

    /// <summary>True when ready; false when the worker exited or the timeout passed (the reason is in <paramref name="why"/>).</summary>
    public async Task<(bool Ready, string Why)> WaitAsync(Worker worker, CancellationToken cancel)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        var last = "no answer yet";
        var listening = false;
        while (DateTimeOffset.UtcNow < deadline)
        {
            cancel.ThrowIfCancellationRequested();
            if (worker.Process is { HasExited: true } exited)
            {
                return (false, $"exited with status {exited.ExitCode} before becoming ready");
            }

            if (!worker.UsesUnixSocket && File.Exists(worker.UnixPath))
            {
                worker.UsesUnixSocket = true;
            }

            (var ok, last, listening) = await ProbeOnceAsync(worker, cancel).ConfigureAwait(false);
            if (ok)
            {
                return (true, "");
            }

            await Task.Delay(100, cancel).ConfigureAwait(false);
        }

        return (false, $"not ready after {timeout.TotalSeconds:0} s ({last})" + (listening ? "" : NotListening(worker)));
    }

    /// <summary>For an app that listens elsewhere (a port of its own): what it was told, so the fix is plain.</summary>
    private static string NotListening(Worker worker) =>
        $"; it was given $PORT={worker.Port} (127.0.0.1:{worker.Port}, also in ASPNETCORE_URLS) and $SOCKET={worker.UnixPath}, and listens on neither";

    /// <summary>
    /// For a worker that shares hoist serve's socket: it checks its own health path before it accepts anything and
    /// says so on stdout, since a probe through the shared socket could reach any worker.
    /// </summary>
    public async Task<(bool Ready, string Why)> WaitForAnnouncementAsync(Worker worker, CancellationToken cancel)
    {
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var exited = worker.Process!.WaitForExitAsync(waiting.Token);
        var first = await Task.WhenAny(worker.Announced, exited, Task.Delay(timeout, waiting.Token)).ConfigureAwait(false);
        await waiting.CancelAsync().ConfigureAwait(false); // the waits that lost
        cancel.ThrowIfCancellationRequested();
        if (first == worker.Announced || worker.Announced.IsCompleted)
        {
            var problem = await worker.Announced.ConfigureAwait(false);
            return problem is null ? (true, "") : (false, problem);
        }

        return first == exited
            ? (false, $"exited with status {worker.Process.ExitCode} before becoming ready")
            : (false, $"not ready after {timeout.TotalSeconds:0} s");
    }

    /// <returns>Ready; what it answered; whether anything accepted the connection.</returns>
    private async Task<(bool, string, bool)> ProbeOnceAsync(Worker worker, CancellationToken cancel)
    {
        if (healthPath is null)
        {
            return await WorkerConnector.CanConnectAsync(worker, cancel).ConfigureAwait(false)
                ? (true, "", true)
                : (false, "port not accepting", false);
        }

        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        attempt.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, WorkerConnector.Prefix(worker) + healthPath.TrimStart('/'));
            request.Headers.Host = host;
            using var response = await connector.Client.SendAsync(request, attempt.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            var hint = status == 400 ? $" (asked with Host: {host}; set healthcheck-host to a name the app allows)" : "";
            return IsHealthy(status) ? (true, "", true) : (false, $"{healthPath} answered {status}{hint}", true);
        }
        catch (Exception error) when (error is HttpRequestException or OperationCanceledException && !cancel.IsCancellationRequested)
        {
            return (false, $"{healthPath}: {error.Message}", error is not HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError });
        }
    }
}
