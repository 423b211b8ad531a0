namespace Hoist.Remote;

using System.Text;

/// <summary>Pumps a stream into whole lines until it ends.</summary>
internal static class LineReader
{
    public static Task PumpAsync(Stream stream, bool isError, Action<string, bool> onLine) =>
        Task.Run(async () =>
        {
            using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false);
            while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                onLine(line, isError);
            }
        });
}
