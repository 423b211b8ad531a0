namespace Hoist.Tests.Support;

using System.Net;
using System.Net.Sockets;

/// <summary>
/// A TCP port nothing listens on now, for a server a test starts. The kernel may hand the same port to two callers
/// that ask one after the other (the first has not bound it yet), so a port given once is never given again in this
/// test run; a server that still loses its port to another process is restarted by its starter (see TestSshd).
/// </summary>
public static class FreePort
{
    private static readonly HashSet<int> Given = [];

    public static int On(IPAddress address)
    {
        while (true)
        {
            using var listener = new TcpListener(address, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            lock (Given)
            {
                if (Given.Add(port))
                {
                    return port;
                }
            }
        }
    }

    public static int OnLoopback() => On(IPAddress.Loopback);
}
