namespace Hoist.Serve.Front;

using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Hoist.Serve.Workers;

/// <summary>
/// One HTTP client for all workers: requests go to <c>http://NAME/</c>, and the connect callback maps NAME to the
/// worker's loopback port or unix socket, so connections are pooled per worker and never leave the machine.
/// </summary>
internal sealed class WorkerConnector : IDisposable
{
    private readonly ConcurrentDictionary<string, Worker> byName = new();

    public WorkerConnector()
    {
        // Idle connections go before the shortest keep-alive timeout apps commonly have (Node's 5 s), so the pool
        // rarely holds one the app is closing; the retry on a fresh connection covers the rest.
        Client = new HttpMessageInvoker(Handler(TimeSpan.FromSeconds(4), Timeout.InfiniteTimeSpan));
        Fresh = new HttpMessageInvoker(Handler(TimeSpan.FromSeconds(4), TimeSpan.Zero));
    }

    /// <summary>The pooled client every request goes through first.</summary>
    public HttpMessageInvoker Client { get; }

    /// <summary>
    /// A client whose every request opens its own connection (never pooled): for a retry after a keep-alive race, and
    /// for every request that is not idempotent, which must not meet a pooled connection the worker is closing.
    /// </summary>
    public HttpMessageInvoker Fresh { get; }

    public void Add(Worker worker) => byName[worker.Name] = worker;

    public void Remove(Worker worker) => byName.TryRemove(worker.Name, out _);

    public static string Prefix(Worker worker) => $"http://{worker.Name}/";

    /// <summary>Opens a plain connection to the worker (for a readiness check without a health path).</summary>
    public static async Task<bool> CanConnectAsync(Worker worker, CancellationToken cancel)
    {
        try
        {
            using var socket = await OpenAsync(worker, cancel).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        Client.Dispose();
        Fresh.Dispose();
    }

    private SocketsHttpHandler Handler(TimeSpan idle, TimeSpan lifetime) => new()
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        ActivityHeadersPropagator = null,
        ConnectTimeout = TimeSpan.FromSeconds(5),
        PooledConnectionIdleTimeout = idle,
        PooledConnectionLifetime = lifetime,
        ConnectCallback = ConnectAsync,
    };

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancel)
    {
        if (!byName.TryGetValue(context.DnsEndPoint.Host, out var worker))
        {
            throw new HttpRequestException($"worker {context.DnsEndPoint.Host} is gone");
        }

        var socket = await OpenAsync(worker, cancel).ConfigureAwait(false);
        return new Http10CloseStream(new NetworkStream(socket, ownsSocket: true));
    }

    private static async Task<Socket> OpenAsync(Worker worker, CancellationToken cancel)
    {
        var socket = worker.UsesUnixSocket
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            EndPoint endpoint = worker.UsesUnixSocket
                ? new UnixDomainSocketEndPoint(worker.UnixPath)
                : new IPEndPoint(IPAddress.Loopback, worker.Port);
            await socket.ConnectAsync(endpoint, cancel).ConfigureAwait(false);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
