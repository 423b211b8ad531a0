namespace Hoist.Remote;

using System.Text;

/// <summary>Pumps a stream into whole lines until it ends, each of at most <see cref="MaxKept"/> characters.</summary>
/// <remarks>
/// Lines end at a line feed only (a CR LF's CR is dropped): a carriage return inside a line is what a progress bar
/// or a host hiding text behind it prints, and is shown and searched for secrets with the line (TerminalText).
/// A longer line keeps its start and says how much was left out (<see cref="LineCut"/>): a host printing a 20 MB
/// line, or never a newline, costs this much memory, not its size. The bound is far above what is shown, so that
/// secrets are hidden in the kept text before it is cut to the shown length.
/// </remarks>
internal static class LineReader
{
    public const int MaxKept = 64 * 1024;

    /// <remarks>
    /// Synchronous reads on a thread of its own: SSH.NET's output streams have no real ReadAsync (the base one runs
    /// the blocking Read on a pool thread for as long as the command runs), and a process's pipes lose nothing by it.
    /// A line ends only at a line feed (the CR of a CRLF is dropped): <c>head -n 1</c> and every shell tool on the host
    /// split so, and StreamReader.ReadLine's split at a lone CR let a host cut a marker line short and print the rest
    /// as a line of its own.
    /// </remarks>
    public static Task PumpAsync(Stream stream, bool isError, Action<string, bool> onLine) =>
        HostThread.Run(() => Pump(stream, isError, onLine));

    /// <summary>Reads <paramref name="stream"/> to its end, calling <paramref name="onLine"/> for each line.</summary>
    public static void Pump(Stream stream, bool isError, Action<string, bool> onLine, int maxKept = MaxKept)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false);
        var buffer = new char[8192];
        var line = new StringBuilder();
        long dropped = 0;
        var any = false;
        int read;
        while ((read = reader.Read(buffer, 0, buffer.Length)) > 0)
        {
            var start = 0;
            for (var i = 0; i < read; i++)
            {
                if (buffer[i] == '\n')
                {
                    dropped += Append(line, buffer.AsSpan(start, i - start), maxKept);
                    onLine(Finish(line, dropped), isError);
                    line.Clear();
                    (dropped, any, start) = (0, false, i + 1);
                }
            }

            dropped += Append(line, buffer.AsSpan(start, read - start), maxKept);
            any |= read > start;
        }

        if (any)
        {
            onLine(Finish(line, dropped), isError);
        }
    }

    /// <summary>Appends what fits in <paramref name="maxKept"/>; returns how many characters did not.</summary>
    private static int Append(StringBuilder line, ReadOnlySpan<char> part, int maxKept)
    {
        var room = Math.Max(0, maxKept - line.Length);
        line.Append(part[..Math.Min(room, part.Length)]);
        return Math.Max(0, part.Length - room);
    }

    private static string Finish(StringBuilder line, long dropped)
    {
        if (dropped == 0 && line.Length > 0 && line[^1] == '\r')
        {
            line.Length--;
        }

        return LineCut.Mark(line.ToString(), dropped);
    }
}
