namespace Hoist.Serve.Front;

using System.Net.Sockets;
using Hoist.Serve.Config;
using Hoist.Serve.Workers;

/// <summary>
/// The front for workers that accept on hoist serve's own socket (a WSGI app under gunicorn): hoist serve opens the
/// listener and the workers inherit it, so each connection goes from the kernel's accept queue straight to a free
/// worker, with no hop through hoist serve. hoist serve itself accepts only while no worker is ready, to answer 503
/// with Retry-After at once instead of leaving clients queued.
/// </summary>
internal sealed class SharedSocketFront(ServeConfig config, Supervisor supervisor) : IFront
{
    private const int Backlog = 2048;
    private static readonly TimeSpan RequestHeadTimeout = TimeSpan.FromSeconds(1);
    private readonly CancellationTokenSource stop = new();
    private Socket? listener;
    private Thread? responder;

    public int Open()
    {
        listener = config.Listen switch
        {
            UnixListen unix => Bind(new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified), new UnixDomainSocketEndPoint(unix.Path)),
            TcpListen tcp => Bind(new Socket(tcp.Address.AddressFamily, SocketType.Stream, ProtocolType.Tcp), new System.Net.IPEndPoint(tcp.Address, tcp.Port)),
            _ => throw new InvalidOperationException("unknown listen address"),
        };
        if (config.Listen is UnixListen path && config.SocketMode is { } mode)
        {
            File.SetUnixFileMode(path.Path, mode);
        }

        var fd = (int)listener.Handle;
        Native.MakeNonBlocking(fd);
        Native.MakeInheritable(fd);
        return fd;
    }

    public Task StartAsync()
    {
        responder = new Thread(AnswerWhileNoWorker) { IsBackground = true, Name = "hoist serve 503" };
        responder.Start();
        return Task.CompletedTask;
    }

    /// <summary>
    /// No new connections: a unix socket's path goes at once (new connections are refused, while those already
    /// queued stay for the workers to serve as they stop); a TCP listener stays open until the workers have stopped.
    /// </summary>
    public async Task StopAsync(CancellationToken mercy)
    {
        await stop.CancelAsync().ConfigureAwait(false);
        responder?.Join();
        if (config.Listen is UnixListen unix)
        {
            File.Delete(unix.Path);
        }
    }

    public ValueTask DisposeAsync()
    {
        listener?.Dispose();
        stop.Dispose();
        return ValueTask.CompletedTask;
    }

    private static Socket Bind(Socket socket, System.Net.EndPoint endpoint)
    {
        try
        {
            if (socket.AddressFamily != AddressFamily.Unix)
            {
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            }

            socket.Bind(endpoint);
            socket.Listen(Backlog);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Polls the socket (never registering it with .NET's event loop, which would wake hoist serve for every
    /// connection the workers take) and accepts only while no worker is ready.
    /// </summary>
    private void AnswerWhileNoWorker()
    {
        var fd = (int)listener!.Handle;
        while (!stop.IsCancellationRequested)
        {
            // Asleep while a worker serves; woken when none does, or to stop.
            if (WaitHandle.WaitAny([stop.Token.WaitHandle, supervisor.NoneReady]) == 0)
            {
                return;
            }

            if (!Native.WaitReadable(fd, 50) || supervisor.Routable.Count > 0)
            {
                continue;
            }

            var client = Native.Accept(fd);
            if (client >= 0)
            {
                Answer503(client);
            }
        }
    }

    private static void Answer503(int fd)
    {
        using var client = new Socket(new SafeSocketHandle(fd, ownsHandle: true));
        try
        {
            // Read the request head first: closing with unread data would reset the connection and lose the answer.
            client.ReceiveTimeout = (int)RequestHeadTimeout.TotalMilliseconds;
            var head = new byte[16 * 1024];
            var length = 0;
            while (length < head.Length)
            {
                var read = client.Receive(head, length, head.Length - length, SocketFlags.None);
                if (read == 0)
                {
                    break;
                }

                length += read;
                if (head.AsSpan(0, length).IndexOf("\r\n\r\n"u8) >= 0)
                {
                    break;
                }
            }

            client.Send(NoWorker.Response());
            client.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
            // The client left; nothing to answer.
        }
    }
}
