namespace Hoist.Tests.Integration.Serve;

using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using Hoist.Serve;

/// <summary>
/// What systemd binds for a Type=notify unit: a unix datagram socket (here in the abstract namespace, as systemd's own
/// <c>@/org/freedesktop/systemd1/notify</c> can be), each datagram parsed into its keys.
/// </summary>
internal sealed class NotifySocket : IDisposable
{
    private readonly Socket socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly Channel<IReadOnlyList<KeyValuePair<string, string>>> received = Channel.CreateUnbounded<IReadOnlyList<KeyValuePair<string, string>>>();
    private readonly CancellationTokenSource stop = new();
    private readonly Task reading;

    public NotifySocket()
    {
        var name = $"hoist-notify-{Guid.NewGuid():N}";
        socket.Bind(new UnixDomainSocketEndPoint("\0" + name));
        Address = "@" + name;
        reading = ReadAsync();
    }

    /// <summary>NOTIFY_SOCKET's value for this socket.</summary>
    public string Address { get; }

    public List<IReadOnlyList<KeyValuePair<string, string>>> Seen { get; } = [];

    /// <summary>The next datagram that sets <paramref name="key"/>, all of them seen on the way kept in <see cref="Seen"/>.</summary>
    public async Task<IReadOnlyList<KeyValuePair<string, string>>> WaitForAsync(string key, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        var clock = Stopwatch.StartNew();
        try
        {
            while (true)
            {
                var message = await received.Reader.ReadAsync(cancel.Token);
                Seen.Add(message);
                if (message.Any(p => p.Key == key))
                {
                    return message;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no {key}= within {clock.Elapsed.TotalSeconds:0} s; seen: {Describe()}");
        }
    }

    /// <summary>Every datagram received so far, also those no one waited for.</summary>
    public IReadOnlyList<IReadOnlyList<KeyValuePair<string, string>>> Drain()
    {
        while (received.Reader.TryRead(out var message))
        {
            Seen.Add(message);
        }

        return Seen;
    }

    public string Describe() => string.Join(" | ", Seen.Select(m => string.Join(" ", m.Select(p => $"{p.Key}={p.Value}"))));

    public void Dispose()
    {
        stop.Cancel();
        socket.Dispose();
        try
        {
            reading.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }

        stop.Dispose();
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[8192];
        while (!stop.IsCancellationRequested)
        {
            int length;
            try
            {
                length = await socket.ReceiveAsync(buffer, SocketFlags.None, stop.Token);
            }
            catch (Exception error) when (error is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            await received.Writer.WriteAsync(NotifyMessage.Parse(Encoding.UTF8.GetString(buffer, 0, length)));
        }
    }
}
