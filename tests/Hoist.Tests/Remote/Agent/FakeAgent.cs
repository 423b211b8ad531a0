namespace Hoist.Tests.Remote.Agent;

using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net.Sockets;

/// <summary>
/// A stand-in agent on a real Unix socket that answers every request with fixed bytes, to test what the
/// client does with answers a real agent is hard to provoke into (refusals, garbage, hang-ups).
/// </summary>
internal sealed class FakeAgent : IDisposable
{
    private readonly Socket listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly Func<byte[], byte[]> answer;

    public FakeAgent(string socketPath, Func<byte[], byte[]> answer)
    {
        this.answer = answer;
        SocketPath = socketPath;
        listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        listener.Listen();
        _ = ServeAsync();
    }

    public string SocketPath { get; }

    /// <summary>The request bodies received (each without its length).</summary>
    public ConcurrentQueue<byte[]> Requests { get; } = new();

    public void Dispose() => listener.Dispose();

    private async Task ServeAsync()
    {
        try
        {
            while (true)
            {
                using var connection = await listener.AcceptAsync();
                await using var stream = new NetworkStream(connection);
                var header = new byte[4];
                await stream.ReadExactlyAsync(header);
                var body = new byte[BinaryPrimitives.ReadUInt32BigEndian(header)];
                await stream.ReadExactlyAsync(body);
                Requests.Enqueue(body);
                await stream.WriteAsync(answer(body));
            }
        }
        catch (Exception error) when (error is SocketException or ObjectDisposedException or IOException)
        {
            // Disposed at the end of the test.
        }
    }
}
