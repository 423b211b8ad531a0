namespace Hoist.Tests.Support;

using System.Diagnostics;

/// <summary>A real ssh-agent on its own socket, with no keys until <see cref="AddAsync"/>; killed when disposed.</summary>
internal sealed class TestAgent : IAsyncDisposable
{
    private readonly TempDir dir;
    private readonly Process process;

    private TestAgent(TempDir dir, Process process) => (this.dir, this.process) = (dir, process);

    public string SocketPath => dir.Combine("agent.sock");

    private static bool Accepts(string socket)
    {
        if (!File.Exists(socket))
        {
            return false;
        }

        using var probe = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        try
        {
            probe.Connect(new System.Net.Sockets.UnixDomainSocketEndPoint(socket));
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    public static async Task<TestAgent> StartAsync()
    {
        var dir = new TempDir("hoist-agent");
        var socket = dir.Combine("agent.sock");

        // -D keeps it in the foreground, so it is this process to kill. A confirm-on-use key (ssh-add -c)
        // asks SSH_ASKPASS, which says no here, so "refused to sign" is reproducible.
        var process = Run.Start("ssh-agent", ["-D", "-a", socket], dir.Path, new Dictionary<string, string> { ["SSH_ASKPASS"] = "/bin/false" });
        // The socket file appears at bind(), a moment before listen(): wait until it accepts.
        for (var i = 0; i < 100 && !Accepts(socket) && !process.HasExited; i++)
        {
            await Task.Delay(20);
        }

        var agent = new TestAgent(dir, process);
        if (!Accepts(socket))
        {
            await agent.DisposeAsync();
            throw new InvalidOperationException("ssh-agent did not create its socket: is openssh-client installed?");
        }

        return agent;
    }

    /// <summary>Adds a private key file, as <c>ssh-add</c> does; extra arguments such as -c go before it.</summary>
    public async Task AddAsync(string keyFile, params string[] options)
    {
        var result = await Run.ProcessAsync("ssh-add", [.. options, keyFile], environment: Environment());
        Assert.True(result.ExitCode == 0, $"ssh-add {keyFile} failed: {result}");
    }

    /// <summary>The variables that point a child process at this agent and nowhere else.</summary>
    public Dictionary<string, string> Environment() => new() { ["SSH_AUTH_SOCK"] = SocketPath };

    public async ValueTask DisposeAsync()
    {
        try
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        catch (InvalidOperationException)
        {
        }

        process.Dispose();
        dir.Dispose();
    }
}
