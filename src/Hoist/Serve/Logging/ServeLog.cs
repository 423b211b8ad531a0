namespace Hoist.Serve.Logging;

using System.Globalization;
using System.Text;
using Hoist.Core;
using Hoist.Serve.Files;

/// <summary>
/// hoist serve's log: its own lines and every worker's output, each prefixed by its source, to <c>logto</c>
/// (rotated to <c>.1</c> past the size limit) or to stderr.
/// </summary>
/// <remarks>
/// It never throws into its callers: workers' output arrives on thread-pool threads, where an exception ends hoist
/// serve and every worker with it. A line that cannot be written (full disk, EIO) is dropped and counted; each later
/// line tries again (on a file opened afresh), and the first that gets through is preceded by one saying how many
/// were lost and why. After <see cref="Dispose"/> (a worker's exit event can come after hoist serve closed its log)
/// lines go nowhere.
/// </remarks>
internal sealed class ServeLog : IDisposable
{
    private readonly string? path;
    private readonly long maxBytes;

    // The folder the log is in, walked once: the file is opened and rotated through it, never through a link on the way.
    private readonly OwnFolder? folder;
    private readonly Lock gate = new();
    private TextWriter? writer;
    private long written;
    private long lost;
    private string? lostWhy;
    private bool disposed;

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
        var text = $"{Now()} [{source}] {line}";
        lock (gate)
        {
            if (disposed)
            {
                return;
            }

            try
            {
                writer ??= Open();
                if (lost > 0)
                {
                    // On a new line of its own: the failed write may have left part of a line (a short write) above.
                    Put($"{Environment.NewLine}{Now()} [hoist] {lost.ToString(CultureInfo.InvariantCulture)} line(s) of this log were lost: {lostWhy}");
                    lost = 0;
                }

                Put(text);
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException or HoistException or ObjectDisposedException)
            {
                Lose(error);
            }
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            disposed = true;
            if (path is not null)
            {
                try
                {
                    writer?.Dispose();
                }
                catch (IOException)
                {
                    // What was buffered is lost with the disk it could not go to.
                }
            }
        }
    }

    private static string Now() => DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    private void Put(string text)
    {
        writer!.WriteLine(text);
        writer.Flush();
        written += Encoding.UTF8.GetByteCount(text) + 1;
        if (path is not null && written > maxBytes)
        {
            Rotate();
        }
    }

    /// <summary>Counts the line; a file is dropped (its buffer would hold the failed bytes) and opened again on the next line.</summary>
    private void Lose(Exception error)
    {
        lost++;
        lostWhy = path is null ? $"could not write to stderr: {error.Message}" : $"could not write to {path}: {error.Message}";
        if (path is not null && writer is not null)
        {
            try
            {
                writer.Dispose();
                folder!.Dispose();
            }
            catch (IOException)
            {
                // Its flush fails as the write did: the bytes it held are among those lost.
            }

            writer = null;
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
            writer!.Dispose();
            writer = fresh;
        }
        catch (Exception error) when (error is HoistException or IOException or UnauthorizedAccessException)
        {
            written = 0;
            writer!.WriteLine($"{Now()} [hoist] could not rotate {path}: {error.Message}; still writing here");
            writer.Flush();
        }
    }
}
