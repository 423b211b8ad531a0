namespace Hoist.Remote;

using Hoist.Config;
using Renci.SshNet;

/// <summary>One SSH connection to a host, kept for the whole run; each script gets one exec channel.</summary>
internal sealed class SshConnection : IHostConnection
{
    private static readonly TimeSpan OperationTimeout = TimeSpan.FromMinutes(30);

    private readonly SshClient client;

    private SshConnection(HostConfig host, SshClient client) => (Host, this.client) = (host, client);

    public HostConfig Host { get; }

    public static async Task<SshConnection> ConnectAsync(HostConfig host, SshConfig ssh, HostKeyPolicy policy, CancellationToken cancel)
    {
        var keys = SshKeys.Load(ssh);
        var info = new ConnectionInfo(host.Address, host.Port, host.User, new PrivateKeyAuthenticationMethod(host.User, keys))
        {
            Timeout = ssh.ConnectTimeout,
        };
        policy.RestrictAlgorithms(host, info);
        var client = new SshClient(info);
        client.HostKeyReceived += (_, e) => e.CanTrust = policy.Accept(host, e.HostKeyName, e.HostKey);
        try
        {
            await client.ConnectAsync(cancel).ConfigureAwait(false);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            client.Dispose();
            throw policy.RefusalFor(host) ?? SshErrors.ConnectFailed(host, error);
        }

        // Connected: from now on a wait is for the host's work (a big upload while it still cleans up, a long
        // build), not for the network, so only a dead connection, found by keep-alives, should end it.
        info.Timeout = OperationTimeout;
        client.KeepAliveInterval = TimeSpan.FromSeconds(15);
        return new SshConnection(host, client);
    }

    public async Task<int> RunAsync(string scriptText, Payload? payload, Action<string, bool> onLine, CancellationToken cancel, bool asRoot = false)
    {
        using var command = client.CreateCommand(asRoot && Host.User != "root" ? "sudo -n bash -s" : "bash -s");
        var execution = command.ExecuteAsync(cancel);
        var stdout = LineReader.PumpAsync(command.OutputStream, false, onLine);
        var stderr = LineReader.PumpAsync(command.ExtendedOutputStream, true, onLine);
        var writing = InputWriter.WriteAsync(command.CreateInputStream(), scriptText, payload, execution, cancel);
        await execution.ConfigureAwait(false);
        // A write still blocked on a full window when the command ended is dropped with the channel.
        _ = writing.ContinueWith(t => t.Exception, TaskScheduler.Default);
        await Task.WhenAll(stdout, stderr).ConfigureAwait(false);
        return command.ExitStatus ?? 255;
    }

    public ValueTask DisposeAsync()
    {
        client.Dispose();
        return ValueTask.CompletedTask;
    }
}
