namespace Hoist.Remote;

using Hoist.Config;
using Renci.SshNet;

/// <summary>One SSH connection to a host, kept for the whole run; each script gets one exec channel.</summary>
internal sealed class SshConnection : IHostConnection
{
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

        return new SshConnection(host, client);
    }

    public async Task<int> RunAsync(string scriptText, Stream? payload, Action<string, bool> onLine, CancellationToken cancel)
    {
        using var command = client.CreateCommand("bash -s");
        var execution = command.ExecuteAsync(cancel);
        var stdout = LineReader.PumpAsync(command.OutputStream, false, onLine);
        var stderr = LineReader.PumpAsync(command.ExtendedOutputStream, true, onLine);
        await InputWriter.WriteAsync(command.CreateInputStream(), scriptText, payload, cancel).ConfigureAwait(false);
        await execution.ConfigureAwait(false);
        await Task.WhenAll(stdout, stderr).ConfigureAwait(false);
        return command.ExitStatus ?? 255;
    }

    public ValueTask DisposeAsync()
    {
        client.Dispose();
        return ValueTask.CompletedTask;
    }
}
