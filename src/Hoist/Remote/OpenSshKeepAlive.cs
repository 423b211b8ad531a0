namespace Hoist.Remote;

using System.Reflection;
using System.Text;
using Renci.SshNet;
using Renci.SshNet.Messages;
using Renci.SshNet.Messages.Connection;

/// <summary>
/// OpenSSH's keep-alive on an SSH.NET connection: a <c>keepalive@openssh.com</c> global request with want-reply, which
/// every server answers (OpenSSH with a request failure, as for any request it does not know), as ssh's
/// ServerAliveInterval sends. SSH.NET's own KeepAliveInterval sends SSH_MSG_IGNORE, which needs no answer: the kernel
/// of a frozen host still acknowledges it, so it never finds one. SSH.NET has no public way to send a global request,
/// hence the reflection, pinned to the SSH.NET version in Directory.Packages.props (the tests fail if it changes).
/// </summary>
internal sealed class OpenSshKeepAlive
{
    private static readonly byte[] RequestName = Encoding.ASCII.GetBytes("keepalive@openssh.com");

    private static readonly PropertyInfo SessionProperty =
        typeof(BaseClient).GetProperty("Session", BindingFlags.Instance | BindingFlags.NonPublic) ?? throw Missing("BaseClient.Session");

    private static readonly ConstructorInfo RequestConstructor =
        typeof(GlobalRequestMessage).GetConstructor(BindingFlags.Instance | BindingFlags.NonPublic, [typeof(byte[]), typeof(bool)]) ?? throw Missing("GlobalRequestMessage(byte[], bool)");

    private static readonly MethodInfo SendMessage =
        typeof(Session).GetMethod("SendMessage", BindingFlags.Instance | BindingFlags.NonPublic, [typeof(Message)]) ?? throw Missing("Session.SendMessage(Message)");

    private readonly Session session;

    private OpenSshKeepAlive(Session session) => this.session = session;

    /// <summary>For a connected client; <paramref name="answered"/> is called for every reply.</summary>
    public static OpenSshKeepAlive For(SshClient client, Action answered)
    {
        var session = SessionProperty.GetValue(client) as Session ?? throw Missing("a connected Session");
        // Hoist asks the server nothing else with a global request (no port forwarding), so every reply is to a keep-alive.
        session.RequestSuccessReceived += (_, _) => answered();
        session.RequestFailureReceived += (_, _) => answered();
        return new OpenSshKeepAlive(session);
    }

    /// <summary>Sends one keep-alive; may block while the socket is full.</summary>
    public void Send()
    {
        try
        {
            SendMessage.Invoke(session, [RequestConstructor.Invoke([RequestName, true])]);
        }
        catch (TargetInvocationException error) when (error.InnerException is { } inner)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(inner);
        }
    }

    private static InvalidOperationException Missing(string what) =>
        new($"SSH.NET has no {what} (its version changed?): Hoist's SSH keep-alives need it; see Remote/OpenSshKeepAlive.cs");
}
