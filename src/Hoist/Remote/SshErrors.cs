namespace Hoist.Remote;

using System.Net.Sockets;
using Hoist.Config;
using Hoist.Core;
using Renci.SshNet.Common;
using Renci.SshNet.Messages.Transport;

/// <summary>The wording of SSH failures, in one place.</summary>
internal static class SshErrors
{
    public static HoistException ConnectFailed(HostConfig host, SshConfig ssh, Exception error) => error switch
    {
        SshConnectionException { DisconnectReason: DisconnectReason.KeyExchangeFailed } => new HoistException(
            $"{host.Display}: {KeyExchangeOrder.NoneShared(ssh.KexOrder, HostOffer(error.Message))}"),
        // Already worded, e.g. by the ssh-agent client while signing the login.
        HoistException worded => new HoistException($"{host.Display}: {worded.Message}", worded.ExitCode),
        SshAuthenticationException => new HoistException(
            $"{host.Display}: ssh login as {host.User} was refused ({error.Message}); " +
            "check ssh.user and that your public key is in the host's ~/.ssh/authorized_keys"),
        SocketException or SshOperationTimeoutException => new HoistException(
            $"{host.Display}: cannot reach sshd on port {host.Port} ({error.Message}); check the address, the port and that sshd runs"),
        _ => new HoistException($"{host.Display}: ssh connection failed: {error.Message}"),
    };

    /// <summary>SSH.NET's "No matching key exchange algorithm (server offers a,b,kex-strict-s-v00@openssh.com)", as a list of real key exchanges.</summary>
    private static string? HostOffer(string message)
    {
        var start = message.IndexOf("server offers ", StringComparison.Ordinal);
        if (start < 0 || !message.EndsWith(')'))
        {
            return null;
        }

        var names = message[(start + "server offers ".Length)..^1].Split(',')
            .Where(n => !n.StartsWith("kex-strict-", StringComparison.Ordinal) && !n.StartsWith("ext-info-", StringComparison.Ordinal));
        return string.Join(", ", names);
    }
}
