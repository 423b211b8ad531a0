namespace Hoist.Remote;

using Hoist.Config;
using Renci.SshNet;

/// <summary>One SSH connection to a host, kept for the whole run; each script gets one exec channel.</summary>
/// <remarks>
/// SSH.NET blocks in every call that waits for the host, so each of those runs on a <see cref="HostThread"/>, and
/// nothing here waits for the host without also watching its keep-alives and the caller's cancellation.
/// </remarks>
internal sealed class SshConnection : IHostConnection
{
    private static readonly TimeSpan OperationTimeout = TimeSpan.FromMinutes(30);
    private static readonly TimeSpan DisconnectWait = TimeSpan.FromSeconds(5);

    private readonly SshClient client;
    private readonly ChannelEof eof;
    private readonly KeepAlive? keepAlive;
    private readonly Task<string> gone;
    private Task? closed;

    private SshConnection(HostConfig host, SshClient client, SshConfig ssh, SshNetInternals? keepAliveMembers, ChannelEof eof)
    {
        (Host, this.client, this.eof) = (host, client, eof);
        if (keepAliveMembers is not null)
        {
            KeepAlive? watch = null;
            var probe = OpenSshKeepAlive.For(keepAliveMembers, client, () => watch?.Answered());
            watch = new KeepAlive(TimeSpan.FromSeconds(ssh.KeepAliveInterval), ssh.KeepAliveCount, probe.Send, TimeProvider.System);
            keepAlive = watch;
            // A gone host's connection is closed at once: that ends every SSH.NET wait on it (channel opens, writes).
            _ = watch.Gone.ContinueWith(_ => Close(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        gone = keepAlive?.Gone ?? new TaskCompletionSource<string>().Task;
    }

    public HostConfig Host { get; }

    public static async Task<SshConnection> ConnectAsync(HostConfig host, SshConfig ssh, HostKeyPolicy policy, CancellationToken cancel)
    {
        // Before connecting: an SSH.NET without the members keep-alives or closing stdin need fails here, with nothing opened.
        var keepAliveMembers = ssh.KeepAliveInterval > 0 ? SshNetInternals.Get() : null;
        var eof = ChannelEof.Get();
        var keys = SshKeys.Load(ssh);
        var info = new ConnectionInfo(host.Address, host.Port, host.User, new PrivateKeyAuthenticationMethod(host.User, keys))
        {
            Timeout = ssh.ConnectTimeout,
        };
        policy.RestrictAlgorithms(host, info);
        KeyExchangeOrder.Apply(info, ssh.KexOrder);
        var client = new SshClient(info);
        client.HostKeyReceived += (_, e) => e.CanTrust = policy.Accept(host, e.HostKeyName, e.HostKey);
        try
        {
            // Connect, not ConnectAsync: SSH.NET's async connect still waits synchronously for the key exchange and the
            // authentication, on whatever pool thread resumed it. A cancelled connect is ended by closing the client.
            using (cancel.Register(() => HostThread.Run(client.Dispose)))
            {
                await HostThread.Run(client.Connect).ConfigureAwait(false);
            }

            cancel.ThrowIfCancellationRequested();
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            client.Dispose();
            cancel.ThrowIfCancellationRequested();
            throw policy.RefusalFor(host) ?? SshErrors.ConnectFailed(host, ssh, error);
        }

        // Connected: from now on a wait is for the host's work (a big upload while it still cleans up, a long
        // build), not for the network, so only a silent host, found by keep-alives, should end it.
        info.Timeout = OperationTimeout;
        try
        {
            return new SshConnection(host, client, ssh, keepAliveMembers, eof);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    public async Task<int> RunAsync(string scriptText, Payload? payload, Action<string, bool> onLine, CancellationToken cancel, bool asRoot = false)
    {
        ThrowIfGone();
        using var command = client.CreateCommand(asRoot && Host.User != "root" ? "sudo -n bash -s" : "bash -s");
        // No token for SSH.NET: its cancellation waits up to 500 ms for the host on the thread that cancels (the signal
        // handler, once per host). Cancelling here sends the signal from a thread of its own.
        var execution = await UntilAsync(HostThread.Run(() => command.ExecuteAsync(CancellationToken.None)), cancel).ConfigureAwait(false);
        await using var stop = cancel.Register(() => HostThread.Run(() => Cancel(command)));
        var stdout = LineReader.PumpAsync(command.OutputStream, false, onLine);
        var stderr = LineReader.PumpAsync(command.ExtendedOutputStream, true, onLine);
        var writing = StartInput(command, scriptText, payload, execution, cancel);
        try
        {
            await UntilAsync(execution, CancellationToken.None).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            // The signal was sent and the command given up on (SSH.NET completes it as cancelled).
        }

        // A write still blocked on a full window when the command ended is dropped with the channel.
        _ = writing.ContinueWith(t => t.Exception, TaskScheduler.Default);
        await UntilAsync(Task.WhenAll(stdout, stderr), CancellationToken.None).ConfigureAwait(false);
        cancel.ThrowIfCancellationRequested();
        return command.ExitStatus ?? 255;
    }

    public Task<RemoteExit> AttachAsync(string command, AttachIo io, CancellationToken cancel)
    {
        ThrowIfGone();
        return io.Tty is { } tty ? AttachPtyAsync(command, io, tty, cancel) : AttachPlainAsync(command, io, cancel);
    }

    public async ValueTask DisposeAsync()
    {
        keepAlive?.Dispose();
        // A clean disconnect for a host that answers; one that does not is not waited for long.
        var closing = Close();
        if (await Task.WhenAny(closing, Task.Delay(DisconnectWait)).ConfigureAwait(false) == closing)
        {
            await closing.ConfigureAwait(false);
        }
    }

    private async Task<RemoteExit> AttachPtyAsync(string command, AttachIo io, AttachTerminal tty, CancellationToken cancel)
    {
        var pty = await UntilAsync(HostThread.Run(() => PtyChannel.Open(client, command, tty.Term, tty.Size, io.Output)), cancel).ConfigureAwait(false);
        try
        {
            // Raw only once the command runs, and back as soon as it ends: hoist's own messages need a sane terminal.
            using var raw = tty.Raw(size => HostThread.Run(() => Resize(pty, size)));
            _ = InputPump.Start(io.Input, pty.Write, pty.Eof, pty.Exited);
            // Closing the channel ends the command (sshd hangs up its pty: SIGHUP).
            await using var stop = cancel.Register(() => HostThread.Run(pty.Dispose));
            var exit = await UntilAsync(pty.Exited, CancellationToken.None).ConfigureAwait(false);
            cancel.ThrowIfCancellationRequested();
            return exit;
        }
        finally
        {
            pty.Dispose();
        }
    }

    private async Task<RemoteExit> AttachPlainAsync(string command, AttachIo io, CancellationToken cancel)
    {
        using var ssh = client.CreateCommand(command);
        var execution = await UntilAsync(HostThread.Run(() => ssh.ExecuteAsync(CancellationToken.None)), cancel).ConfigureAwait(false);
        await using var stop = cancel.Register(() => HostThread.Run(() => Cancel(ssh)));
        var stdout = HostThread.Run(() => Copy(ssh.OutputStream, io.Output));
        var stderr = HostThread.Run(() => Copy(ssh.ExtendedOutputStream, io.Error));
        try
        {
            var input = ssh.CreateInputStream();
            _ = InputPump.Start(io.Input, (buffer, count) => input.Write(buffer, 0, count), () => eof.Close(input), execution);
        }
        catch (InvalidOperationException)
        {
            // Ended already (see StartInput): nothing to pass.
        }

        try
        {
            await UntilAsync(execution, CancellationToken.None).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            // Signalled and given up on, as in RunAsync.
        }

        await UntilAsync(Task.WhenAll(stdout, stderr), CancellationToken.None).ConfigureAwait(false);
        cancel.ThrowIfCancellationRequested();
        return new RemoteExit(ssh.ExitStatus, ssh.ExitSignal);
    }

    private static void Copy(Stream from, Stream to)
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = from.Read(buffer)) > 0)
        {
            to.Write(buffer, 0, read);
            to.Flush();
        }
    }

    private static void Resize(PtyChannel pty, TerminalSize size)
    {
        try
        {
            pty.Resize(size);
        }
        catch (Exception error) when (error is InvalidOperationException or ObjectDisposedException or Renci.SshNet.Common.SshException)
        {
            // The command has ended.
        }
    }

    /// <summary>Sends the script (and its payload) on the command's stdin, unless the command has already ended.</summary>
    private Task StartInput(SshCommand command, string scriptText, Payload? payload, Task execution, CancellationToken cancel)
    {
        Stream input;
        try
        {
            input = command.CreateInputStream();
        }
        catch (InvalidOperationException)
        {
            // SSH.NET gives no input stream to a command that has ended: the session ended before its script was
            // sent (a nologin shell, a forced command, a sudo -n that wants a password). Its exit status and its
            // lines say why; it is that host's failure, which the caller cleans up after like any other.
            return Task.CompletedTask;
        }

        return InputWriter.WriteAsync(input, scriptText, payload, execution, cancel, eof.Close);
    }

    private static void Cancel(SshCommand command)
    {
        try
        {
            command.CancelAsync();
        }
        catch (Exception error) when (error is InvalidOperationException or ObjectDisposedException or Renci.SshNet.Common.SshException)
        {
            // Finished or gone already.
        }
    }

    /// <summary>Waits for <paramref name="task"/>, or fails as soon as the host is gone or the caller cancels.</summary>
    private async Task<T> UntilAsync<T>(Task<T> task, CancellationToken cancel)
    {
        await UntilAsync((Task)task, cancel).ConfigureAwait(false);
        return await task.ConfigureAwait(false);
    }

    private async Task UntilAsync(Task task, CancellationToken cancel)
    {
        var first = await Task.WhenAny(task, gone, Task.Delay(Timeout.Infinite, cancel)).ConfigureAwait(false);
        if (first == gone && !task.IsCompleted)
        {
            _ = task.ContinueWith(t => t.Exception, TaskScheduler.Default);
            ThrowIfGone();
        }

        if (first != task)
        {
            _ = task.ContinueWith(t => t.Exception, TaskScheduler.Default);
            cancel.ThrowIfCancellationRequested();
        }

        await task.ConfigureAwait(false);
    }

    private void ThrowIfGone()
    {
        if (gone.IsCompleted)
        {
            throw new HostGoneException(gone.Result);
        }
    }

    /// <summary>Closes the connection once, on a thread of its own: SSH.NET's disconnect may wait for a silent host.</summary>
    private Task Close()
    {
        lock (client)
        {
            return closed ??= HostThread.Run(client.Dispose);
        }
    }
}
