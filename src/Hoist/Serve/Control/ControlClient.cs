namespace Hoist.Serve.Control;

using System.Net.Sockets;
using System.Text;
using Hoist.Core;

/// <summary>Asks a running hoist serve something through its control socket.</summary>
internal static class ControlClient
{
    /// <summary>True when the control socket exists: a server runs for it (or one was killed and left it behind).</summary>
    public static bool Exists(string socketPath) => File.Exists(socketPath);

    /// <summary>What to say when no server runs for <paramref name="source"/> (its serve.ini or hoist.yml).</summary>
    public static string NotRunning(string source, string socketPath) =>
        $"no hoist serve is running for {source} (its control socket {socketPath} does not exist)";

    /// <summary>True when the socket file exists but nothing accepts on it: the server that made it is gone (killed).</summary>
    public static bool IsStale(string socketPath)
    {
        if (!Exists(socketPath))
        {
            return false;
        }

        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(socketPath));
            return false;
        }
        catch (SocketException error) when (error.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return true;
        }
    }

    /// <summary>Why the process accepting on the socket is not to be trusted, or null (trusted, or nothing accepts).</summary>
    public static string? Impostor(string socketPath, string? pidFile)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(socketPath));
        }
        catch (SocketException)
        {
            return null;
        }

        return ControlPeer.Distrust(socket, socketPath, pidFile);
    }

    /// <param name="source">The config the server was started with, named when none runs; null: the socket is named alone.</param>
    /// <param name="pidFile">The config's pidfile: a server of another user (root asking the app user's) is trusted when it is the pid there.</param>
    public static async Task<string> AskAsync(string socketPath, string command, TimeSpan timeout, string? source = null, string? pidFile = null)
    {
        if (!Exists(socketPath))
        {
            // Said plainly: connect(2) on a missing unix socket reports an unhelpful errno (EADDRNOTAVAIL here).
            throw new HoistException(source is null
                ? $"no hoist serve is running: its control socket {socketPath} does not exist"
                : $"{NotRunning(source, socketPath)}; start it with `hoist serve --ini {source}` (or --daemon)");
        }

        using var cancel = new CancellationTokenSource(timeout);
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancel.Token).ConfigureAwait(false);
        }
        catch (SocketException error)
        {
            throw new HoistException(
                $"no hoist serve answers on its control socket {socketPath} ({error.Message}); a server that was killed leaves it behind: start one again");
        }

        // Before a word is sent: whoever listens there learns nothing, and its answer is never read.
        if (ControlPeer.Distrust(socket, socketPath, pidFile) is { } why)
        {
            throw new HoistException(why);
        }

        using var stream = new NetworkStream(socket, ownsSocket: false);
        await stream.WriteAsync(Encoding.UTF8.GetBytes(command + "\n"), cancel.Token).ConfigureAwait(false);
        socket.Shutdown(SocketShutdown.Send);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        string answer;
        try
        {
            answer = await reader.ReadToEndAsync(cancel.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw new HoistException($"hoist serve did not answer '{command}' within {timeout.TotalSeconds:0} s");
        }
        catch (IOException error)
        {
            throw new HoistException($"hoist serve closed its control socket {socketPath} before answering '{command}' ({error.Message}): did it exit or get killed? See its log");
        }

        return string.IsNullOrWhiteSpace(answer)
            ? throw new HoistException($"hoist serve closed its control socket {socketPath} before answering '{command}': did it exit or get killed? See its log")
            : answer;
    }
}
