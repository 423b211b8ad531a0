namespace Hoist.Serve.Workers;

using System.Diagnostics;

/// <summary>Disposes a worker's finished process: its two output pipes and the runtime's record of the child go with it.</summary>
/// <remarks>
/// An undisposed Process keeps both pipes open (2 fds per worker launch: 80 → 280 after 200 reloads) and stays in the
/// runtime's table of children. It is disposed only once it has exited and its output was read to the end, so that no
/// line of a worker's last output is lost; WaitForExitAsync waits for both.
/// </remarks>
internal static class ProcessRelease
{
    public static void AfterDrained(Process process) => _ = DisposeAsync(process);

    private static async Task DisposeAsync(Process process)
    {
        try
        {
            await process.WaitForExitAsync().ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // Never started, or disposed already.
        }

        process.Dispose();
    }
}
