namespace Hoist.Tests.Integration.Serve;

using System.Net.Sockets;

/// <summary>An HTTP client that talks to hoist serve's unix socket directly, as nginx's proxy_pass does.</summary>
internal static class UnixHttp
{
    public static HttpClient Create(string socketPath, TimeSpan? timeout = null, bool followRedirects = true)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = followRedirects,
            ConnectCallback = async (_, cancel) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancel);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = new Uri("http://app.test/"), Timeout = timeout ?? TimeSpan.FromSeconds(30) };
    }
}
