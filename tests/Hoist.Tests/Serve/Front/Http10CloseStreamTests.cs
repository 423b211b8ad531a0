namespace Hoist.Tests.Serve.Front;

using System.Text;
using Hoist.Serve.Front;

public sealed class Http10CloseStreamTests
{
    [Fact]
    public void Adds_Connection_Close_To_An_Http10_Head_Without_Keep_Alive()
    {
        var rewritten = Text(Http10CloseStream.Rewrite(Bytes("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok")));

        Assert.Equal("HTTP/1.0 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok", rewritten);
    }

    [Theory]
    [InlineData("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 2\r\n\r\nok")]
    [InlineData("HTTP/1.0 200 OK\r\nconnection: foo, keep-alive\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")]
    public void Leaves_Keep_Alive_And_Http11_Heads_Alone(string head) =>
        Assert.Equal(head, Text(Http10CloseStream.Rewrite(Bytes(head))));

    [Fact]
    public async Task Rewrites_Each_Response_Head_Arriving_In_Pieces_And_Passes_The_Body_On()
    {
        // The worker's answers to two requests, one byte per read, as a slow socket may deliver them.
        var worker = new WorkerSide("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok" + "HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n", bytesPerRead: 1);
        await using var stream = new Http10CloseStream(worker);

        await stream.WriteAsync(Bytes("GET / HTTP/1.1\r\n\r\n"));
        var first = await ReadAsync(stream, 59);
        await stream.WriteAsync(Bytes("GET /x HTTP/1.1\r\n\r\n"));
        var second = await ReadAsync(stream, 100);

        Assert.Equal("HTTP/1.0 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok", first);
        Assert.Equal("HTTP/1.0 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", second);
    }

    [Fact]
    public async Task Rewrites_A_Head_That_Arrives_On_A_Read_Started_Before_Its_Request_Was_Written()
    {
        var worker = new LateWorker();
        await using var stream = new Http10CloseStream(worker);
        var buffer = new byte[8];

        // The pool's read-ahead on an idle connection, then the next request on it.
        var readAhead = stream.ReadAsync(buffer).AsTask();
        await stream.WriteAsync(Bytes("GET / HTTP/1.1\r\n\r\n"));
        worker.Answer("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok");
        var first = Encoding.Latin1.GetString(buffer, 0, await readAhead);
        var rest = await ReadAsync(stream, 59 - first.Length);

        Assert.Equal("HTTP/1.0 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok", first + rest);
    }

    [Fact]
    public async Task Once_A_Worker_Answered_Http11_Its_Bytes_Pass_Unread()
    {
        const string Answers = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok" + "HTTP/1.1 204 No Content\r\n\r\n";
        await using var stream = new Http10CloseStream(new WorkerSide(Answers, bytesPerRead: 4096));

        await stream.WriteAsync(Bytes("GET / HTTP/1.1\r\n\r\n"));
        var all = await ReadAsync(stream, 1000);

        Assert.Equal(Answers, all);
    }

    private static async Task<string> ReadAsync(Stream stream, int upTo)
    {
        var text = new StringBuilder();
        var buffer = new byte[7];
        while (text.Length < upTo)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(0, Math.Min(buffer.Length, upTo - text.Length)));
            if (read == 0)
            {
                break;
            }

            text.Append(Encoding.Latin1.GetString(buffer, 0, read));
        }

        return text.ToString();
    }

    private static byte[] Bytes(string text) => Encoding.Latin1.GetBytes(text);

    private static string Text(byte[] bytes) => Encoding.Latin1.GetString(bytes);

    /// <summary>A worker's side that answers only when told, as a worker answers a request some time after it came.</summary>
    private sealed class LateWorker : MemoryStream
    {
        private readonly TaskCompletionSource<byte[]> answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private byte[]? rest;

        public void Answer(string text) => answer.SetResult(Bytes(text));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            rest ??= await answer.Task;
            var count = Math.Min(buffer.Length, rest.Length);
            rest.AsSpan(0, count).CopyTo(buffer.Span);
            rest = rest[count..];
            return count;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
    }

    /// <summary>A worker's side: its answers, at most <paramref name="bytesPerRead"/> a read; what is written is swallowed.</summary>
    private sealed class WorkerSide(string answers, int bytesPerRead) : MemoryStream(Encoding.Latin1.GetBytes(answers))
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(bytesPerRead, buffer.Length)], cancellationToken);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
    }
}
