namespace Hoist.Remote;

using System.Text;

/// <summary>Pumps a stream into whole lines until it ends.</summary>
internal static class LineReader
{
    /// <remarks>
    /// Synchronous reads on a thread of its own: SSH.NET's output streams have no real ReadAsync (the base one runs
    /// the blocking Read on a pool thread for as long as the command runs), and a process's pipes lose nothing by it.
    /// A line ends only at a line feed (the CR of a CRLF is dropped): <c>head -n 1</c> and every shell tool on the host
    /// split so, and StreamReader.ReadLine's split at a lone CR let a host cut a marker line short and print the rest
    /// as a line of its own. A CR inside a line stays data, which the output path shows as <c>\x0d</c>.
    /// </remarks>
    public static Task PumpAsync(Stream stream, bool isError, Action<string, bool> onLine) =>
        HostThread.Run(() =>
        {
            using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false);
            var line = new StringBuilder();
            var buffer = new char[4096];
            int read;
            while ((read = reader.Read(buffer, 0, buffer.Length)) > 0)
            {
                var start = 0;
                for (var i = 0; i < read; i++)
                {
                    if (buffer[i] == '\n')
                    {
                        line.Append(buffer, start, i - start);
                        onLine(WithoutLineEnd(line), isError);
                        line.Clear();
                        start = i + 1;
                    }
                }

                line.Append(buffer, start, read - start);
            }

            if (line.Length > 0)
            {
                onLine(WithoutLineEnd(line), isError);
            }
        });

    private static string WithoutLineEnd(StringBuilder line) =>
        line.Length > 0 && line[^1] == '\r' ? line.ToString(0, line.Length - 1) : line.ToString();
}
