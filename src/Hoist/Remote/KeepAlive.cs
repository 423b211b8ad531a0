namespace Hoist.Remote;

/// <summary>
/// Keep-alives that need an answer, sent every interval on a timer, and the moment a host is found gone. A send that is
/// still stuck (a full socket to a frozen host) is not repeated, but its interval still counts.
/// </summary>
internal sealed class KeepAlive : IDisposable
{
    private readonly KeepAliveCounter counter;
    private readonly Action send;
    private readonly ITimer timer;
    private readonly TaskCompletionSource<string> gone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int sending;
    private int sent;

    public KeepAlive(TimeSpan interval, int count, Action send, TimeProvider clock)
    {
        counter = new KeepAliveCounter(interval, count);
        this.send = send;
        timer = clock.CreateTimer(_ => OnInterval(), null, interval, interval);
    }

    /// <summary>Completes with the verdict when the host has not answered for too long; never otherwise.</summary>
    public Task<string> Gone => gone.Task;

    /// <summary>How many sends have finished (and the next interval may send again): for tests that step the clock.</summary>
    internal int Sent => Volatile.Read(ref sent);

    /// <summary>The host answered a keep-alive.</summary>
    public void Answered() => counter.Answered();

    public void Dispose() => timer.Dispose();

    private void OnInterval()
    {
        if (!counter.Tick())
        {
            timer.Dispose();
            gone.TrySetResult(counter.Verdict);
            return;
        }

        if (Interlocked.Exchange(ref sending, 1) == 0)
        {
            // Sending can block (the socket of a frozen host, once full): never on the timer's pool thread.
            HostThread.Run(() =>
            {
                try
                {
                    send();
                }
                catch (Exception error) when (error is Renci.SshNet.Common.SshException or IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
                {
                    // A connection that is gone is found by the count, or by the script's own channel.
                }
                finally
                {
                    Volatile.Write(ref sending, 0);
                    Interlocked.Increment(ref sent);
                }
            });
        }
    }
}
