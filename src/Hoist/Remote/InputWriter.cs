namespace Hoist.Remote;

using System.Text;

/// <summary>Writes a script, and its payload once the script asks for it, to a command's stdin; then closes it.</summary>
internal static class InputWriter
{
    private const int Chunk = 64 * 1024;

    /// <param name="ended">Completes when the command has exited: no more input is sent after that.</param>
    /// <param name="close">Closes <paramref name="input"/> (sending its end of file); <see cref="Stream.Dispose()"/> when null.</param>
    /// <remarks>
    /// Synchronous writes on a thread of its own: SSH.NET's input stream has no real WriteAsync, and a write waits for
    /// the host's window, so on the pool it would hold a pool thread for a whole upload.
    /// </remarks>
    public static Task WriteAsync(Stream input, string scriptText, Payload? payload, Task ended, CancellationToken cancel, Action<Stream>? close = null) =>
        HostThread.Run(() => Write(input, scriptText, payload, ended, cancel, close ?? (s => s.Dispose())));

    private static void Write(Stream input, string scriptText, Payload? payload, Task ended, CancellationToken cancel, Action<Stream> close)
    {
        try
        {
            input.Write(Encoding.UTF8.GetBytes(scriptText));
            input.Flush();
            if (payload is not null && Task.WaitAny([payload.Wanted, ended], cancel) == 0)
            {
                var buffer = new byte[Chunk];
                int read;
                while (!ended.IsCompleted && !cancel.IsCancellationRequested && (read = payload.Data.Read(buffer)) > 0)
                {
                    input.Write(buffer.AsSpan(0, read));
                }
            }
        }
        catch (Exception error) when (error is IOException or ObjectDisposedException or OperationCanceledException or Renci.SshNet.Common.SshException)
        {
            // The script ended before reading all of its input (it failed early), or the run was cancelled; its exit
            // status says why.
        }
        finally
        {
            try
            {
                close(input);
            }
            catch (Exception error) when (error is IOException or ObjectDisposedException or Renci.SshNet.Common.SshException)
            {
                // Same as above: the other end is already closed.
            }
        }
    }
}
