namespace Hoist.Serve.Workers;

using System.Net;
using System.Net.Sockets;

/// <summary>Free loopback ports for workers, asked of the kernel each time.</summary>
internal static class PortAllocator
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
