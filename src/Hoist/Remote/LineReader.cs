namespace Hoist.Remote;

using System.Text;

/// <summary>Pumps a stream into whole lines until it ends.</summary>
internal static class LineReader
{
    /// <remarks>
    /// Synchronous reads on a thread of its own: SSH.NET's output streams have no real ReadAsync (the base one runs
    /// the blocking Read on a pool thread for as long as the command runs), and a process's pipes lose nothing by it.
    /// </remarks>
    public static Task PumpAsync(Stream stream, bool isError, Action<string, bool> onLine) =>
        HostThread.Run(() =>
        {
            using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false);
            while (reader.ReadLine() is { } line)
            {
                onLine(line, isError);
            }
        });
}
