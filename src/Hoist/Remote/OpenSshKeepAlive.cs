namespace Hoist.Remote;

using System.Reflection;
using System.Text;
using Renci.SshNet;

/// <summary>
/// OpenSSH's keep-alive on an SSH.NET connection: a <c>keepalive@openssh.com</c> global request with want-reply, which
/// every server answers (OpenSSH with a request failure, as for any request it does not know), as ssh's
/// ServerAliveInterval sends. SSH.NET's own KeepAliveInterval sends SSH_MSG_IGNORE, which needs no answer: the kernel
/// of a frozen host still acknowledges it, so it never finds one. SSH.NET has no public way to send a global request,
/// hence the reflection (<see cref="SshNetInternals"/>), pinned to the SSH.NET version in Directory.Packages.props (the tests fail if it changes).
/// </summary>
internal sealed class OpenSshKeepAlive
{
    private static readonly byte[] RequestName = Encoding.ASCII.GetBytes("keepalive@openssh.com");

    private readonly SshNetInternals members;
    private readonly Session session;

    private OpenSshKeepAlive(SshNetInternals members, Session session) => (this.members, this.session) = (members, session);

    /// <summary>For a connected client; <paramref name="answered"/> is called for every reply.</summary>
    public static OpenSshKeepAlive For(SshNetInternals members, SshClient client, Action answered)
    {
        var session = members.Session.GetValue(client) as Session ?? throw SshNetInternals.Missing("a connected Session");
        // Hoist asks the server nothing else with a global request (no port forwarding), so every reply is to a keep-alive.
        session.RequestSuccessReceived += (_, _) => answered();
        session.RequestFailureReceived += (_, _) => answered();
        return new OpenSshKeepAlive(members, session);
    }

    /// <summary>Sends one keep-alive; may block while the socket is full.</summary>
    public void Send()
    {
        try
        {
            members.SendMessage.Invoke(session, [members.GlobalRequest.Invoke([RequestName, true])]);
        }
        catch (TargetInvocationException error) when (error.InnerException is { } inner)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(inner);
        }
    }
}
