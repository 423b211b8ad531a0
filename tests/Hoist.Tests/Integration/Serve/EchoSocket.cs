namespace Hoist.Tests.Integration.Serve;

using System.Net.WebSockets;
using System.Text;

/// <summary>
/// A WebSocket client of the test apps' echo route (Apps/asgiapp: each answer is "VERSION PID: text"), with the Host
/// header of the app's server_name, so nginx routes it as a browser's would be.
/// </summary>
internal sealed class EchoSocket : IDisposable
{
    private readonly ClientWebSocket socket;

    private EchoSocket(ClientWebSocket socket) => this.socket = socket;

    public WebSocketState State => socket.State;

    /// <summary>The close code the server sent, once closed.</summary>
    public WebSocketCloseStatus? CloseStatus => socket.CloseStatus;

    public string? CloseDescription => socket.CloseStatusDescription;

    public static async Task<EchoSocket> ConnectAsync(Uri uri, string host)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Host", host);
        // No pings from this side: what keeps the socket open across a reload must be the server, not the client.
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await socket.ConnectAsync(uri, timeout.Token);
        return new EchoSocket(socket);
    }

    /// <summary>Sends <paramref name="text"/> and returns the answer; null when the server closed the socket instead.</summary>
    public async Task<string?> EchoAsync(string text, TimeSpan? wait = null)
    {
        using var timeout = new CancellationTokenSource(wait ?? TimeSpan.FromSeconds(20));
        await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
        return await ReceiveAsync(timeout.Token);
    }

    /// <summary>Waits for the server to close the socket (answering its close); false when it is still open after <paramref name="wait"/>.</summary>
    public async Task<bool> WaitForCloseAsync(TimeSpan wait)
    {
        using var timeout = new CancellationTokenSource(wait);
        try
        {
            while (await ReceiveAsync(timeout.Token) is not null)
            {
            }

            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose() => socket.Dispose();

    private async Task<string?> ReceiveAsync(CancellationToken cancel)
    {
        var buffer = new byte[4096];
        var text = new StringBuilder();
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer, cancel);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                if (socket.State == WebSocketState.CloseReceived)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                }

                return null;
            }

            text.Append(Encoding.UTF8.GetString(buffer, 0, received.Count));
            if (received.EndOfMessage)
            {
                return text.ToString();
            }
        }
    }
}
