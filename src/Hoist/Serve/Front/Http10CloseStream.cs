namespace Hoist.Serve.Front;

using System.Text;

/// <summary>
/// A connection to a worker that adds <c>Connection: close</c> to each HTTP/1.0 response head without keep-alive.
/// Such a response ends the connection (RFC 9112 §9.3), but SocketsHttpHandler pools it unless the head says close
/// (dotnet/runtime#72958): under load the next request went onto a connection the worker was closing, and failed.
/// With the header, SocketsHttpHandler itself closes the connection after the response, decided from every response.
/// </summary>
internal sealed class Http10CloseStream(Stream inner) : Stream
{
    /// <summary>A head longer than this is passed on unchanged (SocketsHttpHandler refuses it anyway).</summary>
    private const int MaxHead = 64 * 1024;

    private static readonly byte[] CloseHeader = "Connection: close\r\n"u8.ToArray();

    // Set by each request written, until the head of its response has been seen; never again once the worker has
    // answered HTTP/1.1 on this connection, whose reuse rules SocketsHttpHandler already follows.
    // Volatile: SocketsHttpHandler writes a request while its read-ahead on the idle connection is under way.
    private volatile bool headExpected;
    private volatile bool speaksHttp11;
    private byte[] pending = [];
    private int pendingAt;

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (pendingAt < pending.Length)
        {
            return CopyPending(buffer.Span);
        }

        var start = Array.Empty<byte>();
        if (!headExpected || buffer.IsEmpty)
        {
            // A zero-byte read waits for data and takes none, whatever is expected.
            var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (read == 0 || !headExpected)
            {
                return read;
            }

            // A request was written while this read waited (the pool's read-ahead on an idle connection): what came
            // is the start of its response's head.
            start = buffer[..read].ToArray();
        }

        pending = await ReadHeadAsync(start, cancellationToken).ConfigureAwait(false);
        pendingAt = 0;
        return CopyPending(buffer.Span);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        headExpected = !speaksHttp11;
        return inner.WriteAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count)
    {
        headExpected = !speaksHttp11;
        inner.Write(buffer, offset, count);
    }

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>
    /// The head with <c>Connection: close</c> after its status line when it is HTTP/1.0 without keep-alive, given
    /// whole, with whatever of the body came in the same reads.
    /// </summary>
    public static byte[] Rewrite(ReadOnlySpan<byte> head)
    {
        var end = head.IndexOf("\r\n\r\n"u8);
        var firstLine = head.IndexOf("\r\n"u8);
        if (end < 0 || !head.StartsWith("HTTP/1.0 "u8) || KeepsAlive(head[..end]))
        {
            return head.ToArray();
        }

        return [.. head[..(firstLine + 2)], .. CloseHeader, .. head[(firstLine + 2)..]];
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync() => inner.DisposeAsync();

    /// <summary>True when a Connection header of the head names keep-alive (HTTP/1.0's opt-in to reuse).</summary>
    private static bool KeepsAlive(ReadOnlySpan<byte> head)
    {
        foreach (var line in Encoding.Latin1.GetString(head).Split("\r\n").Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line[..colon].Trim().Equals("Connection", StringComparison.OrdinalIgnoreCase)
                && line[(colon + 1)..].Split(',').Any(token => token.Trim().Equals("keep-alive", StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        return false;
    }

    private int CopyPending(Span<byte> buffer)
    {
        var count = Math.Min(buffer.Length, pending.Length - pendingAt);
        pending.AsSpan(pendingAt, count).CopyTo(buffer);
        pendingAt += count;
        return count;
    }

    /// <summary>
    /// Reads (after <paramref name="start"/>, the bytes already read) until the head is complete, the worker closed,
    /// or it is too long, and rewrites it.
    /// </summary>
    private async Task<byte[]> ReadHeadAsync(byte[] start, CancellationToken cancel)
    {
        using var head = new MemoryStream();
        head.Write(start);
        var chunk = new byte[4096];
        while (true)
        {
            var bytes = head.GetBuffer().AsSpan(0, (int)head.Length);
            if (bytes.Length >= 9 && !bytes.StartsWith("HTTP/1.0 "u8))
            {
                // HTTP/1.1 (or anything else): nothing to add, now or later on this connection.
                speaksHttp11 = bytes.StartsWith("HTTP/1.1 "u8);
                headExpected = false;
                return bytes.ToArray();
            }

            if (bytes.IndexOf("\r\n\r\n"u8) >= 0)
            {
                headExpected = false;
                return Rewrite(bytes);
            }

            var read = head.Length < MaxHead ? await inner.ReadAsync(chunk, cancel).ConfigureAwait(false) : 0;
            if (read == 0)
            {
                headExpected = false;
                return head.ToArray();
            }

            head.Write(chunk, 0, read);
        }
    }
}
