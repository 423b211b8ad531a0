namespace Hoist.Remote;

/// <summary>Passes hoist's stdin to an attached command as it comes, then its end of file.</summary>
internal static class InputPump
{
    private const int Chunk = 16 * 1024;

    /// <remarks>
    /// On a thread of its own, never waited for: a read of a terminal or an open pipe blocks until the user types, and
    /// the command may end first (hoist then exits, and the thread with it).
    /// </remarks>
    public static Task Start(Stream from, Action<byte[], int> write, Action close, Task ended) =>
        HostThread.Run(() =>
        {
            var buffer = new byte[Chunk];
            try
            {
                int read;
                while (!ended.IsCompleted && (read = from.Read(buffer)) > 0)
                {
                    write(buffer, read);
                }

                if (!ended.IsCompleted)
                {
                    close();
                }
            }
            catch (Exception error) when (error is IOException or ObjectDisposedException or InvalidOperationException or Renci.SshNet.Common.SshException)
            {
                // The command ended (its channel closed) while input was still coming: its exit status says how.
            }
        });
}
