namespace Hoist.Tests.Support;

using System.Diagnostics;
using System.Net.Sockets;

/// <summary>
/// `git daemon` serving the bare repositories under a folder, read-only, on one address of this machine (a
/// testbed bridge), so that test hosts clone over the network as they would from a git server.
/// </summary>
public sealed class GitDaemon : IDisposable
{
    private readonly Process process;

    private GitDaemon(Process process, string address, int port) => (this.process, Address, Port) = (process, address, port);

    public string Address { get; }

    public int Port { get; }

    /// <summary>The URL a host clones <paramref name="name"/> (a repository in the served folder) with.</summary>
    public string Url(string name) => $"git://{Address}:{Port}/{name}";

    public static async Task<GitDaemon> StartAsync(string folder, string address)
    {
        var port = FreePort.On(System.Net.IPAddress.Parse(address));
        var process = Run.Start("git", ["daemon", "--reuseaddr", "--export-all", "--informative-errors", $"--base-path={folder}",
            $"--listen={address}", $"--port={port}", folder]);
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(address, port);
                return new GitDaemon(process, address, port);
            }
            catch (SocketException) when (watch.Elapsed < TimeSpan.FromSeconds(10) && !process.HasExited)
            {
                await Task.Delay(20);
            }
        }
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        process.Dispose();
    }

}
