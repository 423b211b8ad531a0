namespace Hoist.Serve.Logging;

using System.Globalization;
using System.Text;
using Hoist.Core;
using Hoist.Serve.Files;

/// <summary>
/// hoist serve's log: its own lines and every worker's output, each prefixed by its source, to <c>logto</c>
/// (rotated to <c>.1</c> past the size limit) or to stderr.
/// </summary>
internal sealed class ServeLog : IDisposable
{
    private readonly string? path;
    private readonly long maxBytes;

    // The folder the log is in, walked once: the file is opened and rotated through it, never through a link on the way.
    private readonly OwnFolder? folder;
    private readonly Lock gate = new();
    private TextWriter writer;
    private long written;

    public ServeLog(string? path, long maxBytes)
    {
        this.path = path;
        this.maxBytes = maxBytes;
        folder = path is null ? null : OwnFolder.Open(path, "logto", create: true);
        try
        {
            writer = Open();
        }
        catch
        {
            folder?.Dispose();
            throw;
        }
    }

    public void Info(string line) => Write("hoist", line);

    public void Write(string source, string line)
    {
        var text = $"{DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)} [{source}] {line}";
        lock (gate)
        {
            writer.WriteLine(text);
            writer.Flush();
            written += Encoding.UTF8.GetByteCount(text) + 1;
            if (path is not null && written > maxBytes)
            {
                Rotate();
            }
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            if (path is not null)
            {
                writer.Dispose();
                folder!.Dispose();
            }
        }
    }

    private TextWriter Open()
    {
        if (path is null)
        {
            return Console.Error;
        }

        var stream = OwnFile.OpenAppend(folder!, path, "logto");
        written = stream.Length;
        return new StreamWriter(stream, new UTF8Encoding(false));
    }

    /// <summary>Keeps one old file: <c>logto.1</c>. Rotation happens under the lock, so no line is split.</summary>
    /// <remarks>
    /// renameat(2) in the log's folder replaces whatever is at <c>.1</c> (a link too) and follows nothing; the new file is
    /// opened there as the first was. Should that fail (a link planted in between), lines keep going to <c>.1</c> and the next rotation tries again.
    /// </remarks>
    private void Rotate()
    {
        try
        {
            var name = Path.GetFileName(path!);
            folder!.Rename(name, name + ".1");
            var fresh = Open();
            writer.Dispose();
            writer = fresh;
        }
        catch (Exception error) when (error is HoistException or IOException or UnauthorizedAccessException)
        {
            written = 0;
            writer.WriteLine($"{DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)} [hoist] could not rotate {path}: {error.Message}; still writing here");
            writer.Flush();
        }
    }
}
