namespace Hoist.Remote.Agent;

using System.Net.Sockets;

/// <summary>
/// Talks to an OpenSSH agent over its Unix socket. Each request opens its own short connection, so the client
/// can be shared by connections to several hosts without locking. Every failure is a HoistException.
/// </summary>
internal sealed class AgentClient(string socketPath)
{
    /// <summary>Long enough for a person to approve a confirm-on-use key; short enough that a stuck agent is reported.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public string SocketPath { get; } = socketPath;

    public IReadOnlyList<AgentIdentity> ListIdentities() =>
        Read(() => AgentMessages.ParseIdentities(Exchange(AgentMessages.IdentitiesRequest())));

    /// <summary>The agent's signature blob (string algorithm, string signature) for <paramref name="data"/>.</summary>
    public byte[] Sign(AgentIdentity identity, string algorithm, uint flags, byte[] data) =>
        Read(() => AgentMessages.ParseSignResponse(Exchange(AgentMessages.Sign(identity.Blob, data, flags))))
        ?? throw AgentErrors.Refused(SocketPath, identity, algorithm);

    private T Read<T>(Func<T> exchange)
    {
        try
        {
            return exchange();
        }
        catch (InvalidDataException error)
        {
            throw AgentErrors.Garbled(SocketPath, error.Message);
        }
        catch (SocketException error) when (error.SocketErrorCode == SocketError.TimedOut)
        {
            throw AgentErrors.TimedOut(SocketPath, Timeout);
        }
        catch (IOException error) when (error.InnerException is SocketException { SocketErrorCode: SocketError.TimedOut })
        {
            throw AgentErrors.TimedOut(SocketPath, Timeout);
        }
        catch (EndOfStreamException)
        {
            throw AgentErrors.Unreachable(SocketPath, "it closed the connection without answering");
        }
        catch (Exception error) when (error is SocketException or IOException or ArgumentException)
        {
            // ArgumentException: a path too long for a Unix socket address.
            throw AgentErrors.Unreachable(SocketPath, error.Message);
        }
    }

    private byte[] Exchange(byte[] request)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.SendTimeout = socket.ReceiveTimeout = (int)Timeout.TotalMilliseconds;
        socket.Connect(new UnixDomainSocketEndPoint(SocketPath));
        using var stream = new NetworkStream(socket, ownsSocket: false);
        stream.Write(request);
        var header = new byte[4];
        stream.ReadExactly(header);
        var body = new byte[AgentMessages.BodyLength(header)];
        stream.ReadExactly(body);
        return body;
    }
}
