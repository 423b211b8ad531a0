namespace Hoist.Remote;

using System.Net.Sockets;
using Hoist.Config;
using Hoist.Core;
using Renci.SshNet.Common;

/// <summary>The wording of SSH failures, in one place.</summary>
internal static class SshErrors
{
    public static HoistException ConnectFailed(HostConfig host, Exception error) => error switch
    {
        // Already worded, e.g. by the ssh-agent client while signing the login.
        HoistException worded => new HoistException($"{host.Display}: {worded.Message}", worded.ExitCode),
        SshAuthenticationException => new HoistException(
            $"{host.Display}: ssh login as {host.User} was refused ({error.Message}); " +
            "check ssh.user and that your public key is in the host's ~/.ssh/authorized_keys"),
        SocketException or SshOperationTimeoutException => new HoistException(
            $"{host.Display}: cannot reach sshd on port {host.Port} ({error.Message}); check the address, the port and that sshd runs"),
        _ => new HoistException($"{host.Display}: ssh connection failed: {error.Message}"),
    };
}
