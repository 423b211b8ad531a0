namespace Hoist.Remote;

using System.Reflection;
using Renci.SshNet;

/// <summary>
/// One SSH session channel that runs a command with a pseudo-terminal (<c>pty-req</c>, then <c>exec</c>), through
/// SSH.NET's internal channel (<see cref="ChannelMembers"/>): what the host's pty prints goes to <paramref name="output"/>
/// as it comes, keystrokes are sent with <see cref="Write"/>, and <see cref="Exited"/> says how the command ended.
/// </summary>
/// <remarks>Every call but <see cref="Exited"/> waits for the host: call them on a <see cref="HostThread"/>.</remarks>
internal sealed class PtyChannel : IDisposable
{
    private readonly ChannelMembers members;
    private readonly object session;
    private readonly object channel;
    private readonly Stream output;
    private readonly TaskCompletionSource<RemoteExit> exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int? status;
    private string? signal;

    private PtyChannel(ChannelMembers members, object session, object channel, Stream output) =>
        (this.members, this.session, this.channel, this.output) = (members, session, channel, output);

    public Task<RemoteExit> Exited => exited.Task;

    /// <param name="terminal">The TERM the host's programs are told (xterm-256color, ...).</param>
    public static PtyChannel Open(SshClient client, string command, string terminal, TerminalSize size, Stream output)
    {
        var members = ChannelMembers.Get();
        var session = members.Session.GetValue(client) ?? throw new InvalidOperationException("the SSH session is closed");
        var channel = Call(members.CreateChannel, session) ?? throw new InvalidOperationException("SSH.NET gave no session channel");
        var pty = new PtyChannel(members, session, channel, output);
        pty.Subscribe();
        try
        {
            Call(members.Open, channel);
            // No modes: the host's defaults (echo, ^C as SIGINT, CR/LF mapping), as `ssh -t` gets from a raw local terminal.
            if (Call(members.PtyRequest, channel, terminal, (uint)size.Columns, (uint)size.Rows, 0u, 0u, new Dictionary<Renci.SshNet.Common.TerminalModes, uint>()) is false)
            {
                throw new InvalidOperationException("the host refused a pseudo-terminal (sshd's PermitTTY no?)");
            }

            if (Call(members.ExecRequest, channel, command) is false)
            {
                throw new InvalidOperationException("the host refused to run the command");
            }
        }
        catch
        {
            pty.Dispose();
            throw;
        }

        return pty;
    }

    public void Write(byte[] buffer, int count) => Call(members.SendData, channel, buffer, 0, count);

    public void Resize(TerminalSize size) => Call(members.WindowChange, channel, (uint)size.Columns, (uint)size.Rows, 0u, 0u);

    public void Eof() => Call(members.SendEof, channel);

    public void Dispose()
    {
        exited.TrySetResult(new RemoteExit(status, signal));
        ((IDisposable)channel).Dispose();
    }

    /// <summary>Calls an SSH.NET member, throwing what it threw (not a TargetInvocationException around it).</summary>
    private static object? Call(MethodInfo method, object target, params object[] args)
    {
        try
        {
            return method.Invoke(target, args);
        }
        catch (TargetInvocationException error) when (error.InnerException is { } inner)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(inner);
            throw;
        }
    }

    private void Subscribe()
    {
        // The handlers take EventArgs: SSH.NET's own argument types are internal, and a delegate may take a base type.
        void On(EventInfo e, string handler) =>
            e.AddEventHandler(channel, Delegate.CreateDelegate(e.EventHandlerType!, this, typeof(PtyChannel).GetMethod(handler, BindingFlags.Instance | BindingFlags.NonPublic)!));
        On(members.DataReceived, nameof(OnData));
        On(members.ExtendedDataReceived, nameof(OnData));
        On(members.RequestReceived, nameof(OnRequest));
        On(members.Closed, nameof(OnClosed));
    }

    private void OnData(object? sender, EventArgs e)
    {
        // ArraySegment in SSH.NET 2026 (byte[] before): either way, only the bytes of this message.
        var data = e.GetType().GetProperty("Data")?.GetValue(e) switch
        {
            ArraySegment<byte> segment => segment.AsSpan().ToArray(),
            byte[] bytes => bytes,
            _ => null,
        };
        if (data is not null)
        {
            try
            {
                output.Write(data);
                output.Flush();
            }
            catch (IOException)
            {
                // Our own terminal is gone; the command ends with the channel.
            }
        }
    }

    private void OnRequest(object? sender, EventArgs e)
    {
        var info = e.GetType().GetProperty("Info")?.GetValue(e);
        switch (info?.GetType().Name)
        {
            case "ExitStatusRequestInfo":
                status = Convert.ToInt32(info.GetType().GetProperty("ExitStatus")?.GetValue(info), System.Globalization.CultureInfo.InvariantCulture);
                break;
            case "ExitSignalRequestInfo":
                signal = info.GetType().GetProperty("SignalName")?.GetValue(info) as string;
                break;
            case not null when info.GetType().GetProperty("WantReply")?.GetValue(info) is true:
                // As SshCommand answers: sshd's keepalive@openssh.com probes (ClientAliveInterval) count any answer, and
                // end a session that gives none.
                Reply();
                break;
        }
    }

    private void Reply()
    {
        try
        {
            var remote = members.RemoteChannelNumber.GetValue(channel)!;
            Call(members.SendMessage, session, members.FailureMessage.Invoke([remote]));
        }
        catch (Exception error) when (error is InvalidOperationException or ObjectDisposedException or Renci.SshNet.Common.SshException)
        {
            // The channel or the connection has closed.
        }
    }

    private void OnClosed(object? sender, EventArgs e) => exited.TrySetResult(new RemoteExit(status, signal));
}
