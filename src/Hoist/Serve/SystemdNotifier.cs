namespace Hoist.Serve;

using System.Net;
using System.Net.Sockets;
using System.Text;
using Hoist.Serve.Logging;

/// <summary>
/// sd_notify(3) for hoist serve as a systemd unit's main process (<c>Type=notify</c>): datagrams to the unix socket
/// <c>$NOTIFY_SOCKET</c> names (a path, or <c>@name</c> in the abstract namespace). Without that variable every
/// call does nothing, so hoist serve behaves the same outside systemd.
/// </summary>
internal sealed class SystemdNotifier : IDisposable
{
    public const string Variable = "NOTIFY_SOCKET";

    private readonly string? address;
    private readonly EndPoint? endpoint;
    private readonly Socket? socket;
    private readonly TimeProvider clock;
    private readonly ServeLog? log;

    private SystemdNotifier(string? address, EndPoint? endpoint, TimeProvider clock, ServeLog? log)
    {
        this.address = address;
        this.endpoint = endpoint;
        this.clock = clock;
        this.log = log;
        socket = endpoint is null ? null : new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    }

    /// <summary>True when a service manager listens: hoist serve is a Type=notify unit's main process.</summary>
    public bool Enabled => socket is not null;

    /// <summary>
    /// The notifier for this process's <c>$NOTIFY_SOCKET</c>, which is then removed from the environment (as
    /// sd_notify's unset_environment does), so no worker or other child ever talks to systemd in hoist serve's name.
    /// </summary>
    public static SystemdNotifier FromEnvironment(TimeProvider clock, ServeLog? log)
    {
        var value = Environment.GetEnvironmentVariable(Variable);
        Environment.SetEnvironmentVariable(Variable, null);
        if (string.IsNullOrEmpty(value))
        {
            return new SystemdNotifier(null, null, clock, log);
        }

        var endpoint = Endpoint(value);
        if (endpoint is null)
        {
            log?.Info($"{Variable}={value} is neither a socket path nor @abstract; not notifying systemd");
        }

        return new SystemdNotifier(value, endpoint, clock, log);
    }

    /// <summary>A unix datagram address: <c>/path</c>, or <c>@name</c> (the abstract namespace, a leading NUL); else null.</summary>
    public static UnixDomainSocketEndPoint? Endpoint(string value) =>
        value.Length > 1 && value[0] == '/' ? new UnixDomainSocketEndPoint(value)
        : value.Length > 1 && value[0] == '@' ? new UnixDomainSocketEndPoint("\0" + value[1..])
        : null;

    public void Ready(string status) => Send(NotifyMessage.Ready(Environment.ProcessId, status));

    public void Reloading(string status) =>
        Send(NotifyMessage.Reloading((long)((Int128)clock.GetTimestamp() * 1_000_000 / clock.TimestampFrequency), status));

    public void Stopping(string status) => Send(NotifyMessage.Stopping(status));

    public void Status(string status) => Send(NotifyMessage.Status(status));

    public void Dispose() => socket?.Dispose();

    private void Send(string message)
    {
        if (socket is null)
        {
            return;
        }

        try
        {
            socket.SendTo(Encoding.UTF8.GetBytes(message), endpoint!);
        }
        catch (SocketException error)
        {
            // As sd_notify: a service manager that does not listen is no reason to stop serving.
            log?.Info($"could not notify systemd at {address}: {error.Message}");
        }
    }
}
