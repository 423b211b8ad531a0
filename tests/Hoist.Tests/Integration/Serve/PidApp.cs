namespace Hoist.Tests.Integration.Serve;

using Hoist.Tests.Support;

/// <summary>
/// The cheapest worker that says who answered: a few lines of Python on $PORT that answer every request with the
/// worker's pid (and Connection: close), so a test can tell which process served it at almost no CPU.
/// </summary>
internal static class PidApp
{
    private const string Script = """
        import os, socket
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", int(os.environ["PORT"])))
        listener.listen(64)
        body = str(os.getpid()).encode()
        answer = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(body), body)
        while True:
            client, _ = listener.accept()
            try:
                client.recv(65536)
                client.sendall(answer)
            except OSError:
                pass
            finally:
                client.close()
        """;

    /// <summary>Writes DIR/pidapp.py and returns the serve.ini `command` that runs it (Debian's python, not a pyenv shim, without site: it starts in ~50 ms).</summary>
    public static string Write(TempDir dir)
    {
        var path = dir.Write("pidapp.py", Script);
        return $"exec /usr/bin/python3 -S -u '{path}'";
    }
}
