namespace Hoist.Remote;

using System.Text;

/// <summary>Writes a script and its payload to a command's stdin, then closes it.</summary>
internal static class InputWriter
{
    public static async Task WriteAsync(Stream input, string scriptText, Stream? payload, CancellationToken cancel)
    {
        try
        {
            await input.WriteAsync(Encoding.UTF8.GetBytes(scriptText), cancel).ConfigureAwait(false);
            if (payload is not null)
            {
                await payload.CopyToAsync(input, cancel).ConfigureAwait(false);
            }
        }
        catch (IOException)
        {
            // The script ended before reading all of its input (it failed early); its exit status says why.
        }
        finally
        {
            try
            {
                await input.DisposeAsync().ConfigureAwait(false);
            }
            catch (IOException)
            {
                // Same as above: the other end is already closed.
            }
        }
    }
}
