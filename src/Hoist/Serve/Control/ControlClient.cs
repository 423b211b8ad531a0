namespace Hoist.Serve.Control;

using System.Net.Sockets;
using System.Text;
using Hoist.Core;

/// <summary>Asks a running hoist serve something through its control socket.</summary>
internal static class ControlClient
{
    public static async Task<string> AskAsync(string socketPath, string command, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancel.Token).ConfigureAwait(false);
        }
        catch (SocketException error)
        {
            throw new HoistException(
                $"no hoist serve answers on its control socket {socketPath} ({error.Message}); is it running with this config?");
        }

        using var stream = new NetworkStream(socket, ownsSocket: false);
        await stream.WriteAsync(Encoding.UTF8.GetBytes(command + "\n"), cancel.Token).ConfigureAwait(false);
        socket.Shutdown(SocketShutdown.Send);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        try
        {
            return await reader.ReadToEndAsync(cancel.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw new HoistException($"hoist serve did not answer '{command}' within {timeout.TotalSeconds:0} s");
        }
    }
}
