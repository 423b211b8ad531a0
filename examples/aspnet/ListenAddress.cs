namespace HoistDemo;

using System.Net.Sockets;

/// <summary>Where to listen when the environment does not say so through ASPNETCORE_URLS (or --urls).</summary>
internal static class ListenAddress
{
    public const string Default = "http://127.0.0.1:5000";

    /// <summary>
    /// ASPNETCORE_URLS, DOTNET_URLS, --urls and ASPNETCORE_HTTP_PORTS win as usual; otherwise a
    /// unix SOCKET, then PORT (on loopback: the front in front of the workers is local), then 5000.
    /// </summary>
    public static void ApplyDefault(WebApplicationBuilder builder)
    {
        string[] given = [builder.Configuration["urls"] ?? "", builder.Configuration["http_ports"] ?? "", builder.Configuration["https_ports"] ?? ""];
        if (given.Any(value => value.Length > 0))
        {
            return;
        }

        var socket = Environment.GetEnvironmentVariable("SOCKET");
        if (!string.IsNullOrEmpty(socket))
        {
            RemoveStaleSocket(socket);
            builder.WebHost.UseUrls($"http://unix:{socket}");
            return;
        }

        var port = Environment.GetEnvironmentVariable("PORT");
        builder.WebHost.UseUrls(string.IsNullOrEmpty(port) ? Default : $"http://127.0.0.1:{port}");
    }

    // Kestrel removes its socket when it stops, but not one left by a worker that was killed, and
    // then fails with "address already in use". A socket nobody answers on is safe to remove (.NET
    // cannot tell a socket from a file, but a socket is empty and a non-empty file is left alone).
    private static void RemoveStaleSocket(string path)
    {
        if (!File.Exists(path) || new FileInfo(path).Length != 0)
        {
            return;
        }

        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            File.Delete(path);
        }
    }
}
