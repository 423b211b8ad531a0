namespace Hoist.Remote;

using System.Text;

/// <summary>Writes a script, and its payload once the script asks for it, to a command's stdin; then closes it.</summary>
internal static class InputWriter
{
    private const int Chunk = 64 * 1024;

    /// <param name="ended">Completes when the command has exited: no more input is sent after that.</param>
    public static async Task WriteAsync(Stream input, string scriptText, Payload? payload, Task ended, CancellationToken cancel)
    {
        try
        {
            await input.WriteAsync(Encoding.UTF8.GetBytes(scriptText), cancel).ConfigureAwait(false);
            await input.FlushAsync(cancel).ConfigureAwait(false);
            if (payload is not null && await Task.WhenAny(payload.Wanted, ended).ConfigureAwait(false) == payload.Wanted)
            {
                var buffer = new byte[Chunk];
                int read;
                while (!ended.IsCompleted && (read = await payload.Data.ReadAsync(buffer, cancel).ConfigureAwait(false)) > 0)
                {
                    await input.WriteAsync(buffer.AsMemory(0, read), cancel).ConfigureAwait(false);
                }
            }
        }
        catch (Exception error) when (error is IOException or ObjectDisposedException or Renci.SshNet.Common.SshException)
        {
            // The script ended before reading all of its input (it failed early); its exit status says why.
        }
        finally
        {
            try
            {
                await input.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception error) when (error is IOException or ObjectDisposedException or Renci.SshNet.Common.SshException)
            {
                // Same as above: the other end is already closed.
            }
        }
    }
}
