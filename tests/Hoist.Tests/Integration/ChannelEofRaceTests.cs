namespace Hoist.Tests.Integration;

using System.Diagnostics;
using Hoist.Remote;
using Hoist.Tests.Support;
using Renci.SshNet;
using Xunit.Abstractions;

/// <summary>
/// A command that ends before its stdin is closed (every script's `exit`, a lock found held) races its close of the
/// channel against Hoist's end of file on stdin; an EOF sent after the close makes sshd drop the whole connection, and
/// the next script on that host failed with "Client not connected" (see <see cref="ChannelEof"/>).
/// </summary>
public sealed class ChannelEofRaceTests(ITestOutputHelper output) : SshdTest
{
    private const int Commands = 20;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Opens the race's window each time: the test holds the channel's messaging lock while the host closes the channel,
    /// so SSH.NET's receive thread waits in its close, then stdin is closed and waits too; the lock is let go with both
    /// waiting. Before <see cref="ChannelEof"/>, stdin's EOF had already passed its "is it open" check and often went out
    /// after the receive thread's close.
    /// </summary>
    [Fact]
    public async Task Stdin_Closed_While_The_Host_Closes_The_Channel_Never_Drops_The_Connection()
    {
        using var hog = CpuHog.Start();
        var eof = ChannelEof.Get();
        var channelType = typeof(SshClient).Assembly.GetType("Renci.SshNet.Channels.Channel")!;
        var closeReceived = channelType.GetField("_closeMessageReceived", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)!;
        var eofSent = channelType.GetField("_eofMessageSent", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)!;
        using var client = new SshClient(new ConnectionInfo("127.0.0.1", Sshd.Port, "root", new PrivateKeyAuthenticationMethod("root", new PrivateKeyFile(Sshd.ClientKey))));
        client.HostKeyReceived += (_, e) => e.CanTrust = true;
        client.Connect();
        var clock = Stopwatch.StartNew();
        var (ran, closedFirst) = (0, 0);
        string? lost = null;
        for (var i = 0; i < Commands && lost is null; i++)
        {
            try
            {
                using var command = client.CreateCommand("head -c 1 >/dev/null");
                var execution = command.ExecuteAsync();
                var input = command.CreateInputStream();
                var channel = eof.Channel.GetValue(input)!;
                var gate = (Lock)eof.MessagingLock.GetValue(channel)!;
                var closing = new Thread(() => eof.Close(input));
                gate.Enter();
                try
                {
                    // The command exits once it has read its byte; the host then closes the channel, and SSH.NET's
                    // receive thread, answering, waits for the lock this thread holds.
                    input.Write("x"u8);
                    input.Flush();
                    Until(() => (bool)closeReceived.GetValue(channel)!, "the host's close of the channel");
                    closing.Start();
                    Until(() => (closing.ThreadState & System.Threading.ThreadState.WaitSleepJoin) != 0, "stdin's close to wait for the lock");
                }
                finally
                {
                    gate.Exit();
                }

                Assert.True(closing.Join(Bound), "stdin's close did not end");
                await execution.WaitAsync(Bound);
                ran++;
                // The receive thread's close got the lock first: the race's losing order, where no EOF may follow.
                closedFirst += (bool)eofSent.GetValue(channel)! ? 0 : 1;
            }
            catch (Exception error) when (error is Renci.SshNet.Common.SshException or IOException or ObjectDisposedException or InvalidOperationException)
            {
                lost = $"{error.GetType().Name}: {error.Message}";
            }
        }

        var dropped = File.ReadLines(Sshd.LogFile).Where(l => l.Contains("nonexistent channel", StringComparison.Ordinal)).ToList();
        output.WriteLine($"{ran} of {Commands} commands on one connection in {clock.ElapsedMilliseconds} ms ({hog}); the host's close went first in {closedFirst}; lost: {lost ?? "never"}");
        output.WriteLine($"sshd: {(dropped.Count == 0 ? "no EOF after close" : string.Join("; ", dropped))}");
        Assert.True(lost is null && dropped.Count == 0, $"the connection was dropped after {ran} commands: {lost}; sshd: {string.Join("; ", dropped)}");
    }

    private static void Until(Func<bool> done, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!done())
        {
            Assert.True(clock.Elapsed < Bound, $"waited {Bound.TotalSeconds} s for {what}");
            Thread.Sleep(1);
        }
    }
}
