namespace Hoist.Config.Loading;

using System.Buffers;
using System.Globalization;
using System.Text;

/// <summary>
/// Reads hoist.yml as bounded text: only a regular file, at most <see cref="MaxBytes"/>, UTF-8 with no NUL byte.
/// A FIFO would block the read (and SIGTERM with it) and /dev/zero would fill memory, so neither is opened.
/// </summary>
internal static class ConfigFile
{
    /// <summary>A hoist.yml is a few KiB; this leaves room for long env blocks and comments.</summary>
    public const int MaxBytes = 1024 * 1024;

    public static string? Read(string full, string displayPath, out ConfigError? error)
    {
        error = null;
        if (Directory.Exists(full))
        {
            return Fail(displayPath, "is a folder, not a config file; pass -c with the file itself", out error);
        }

        // .NET does not tell FIFOs, sockets and devices from files, but stat gives them all size 0 (so does /proc),
        // and an empty file is an error anyway: refusing size 0 unopened keeps every special file out.
        var length = new FileInfo(full).Length;
        if (length == 0)
        {
            return Fail(displayPath, "is empty or is not a regular file (a FIFO, socket or device); hoist reads its config from a regular file only", out error);
        }

        if (length > MaxBytes)
        {
            return Fail(displayPath, $"is {Size(length)}; a config file may be at most {Size(MaxBytes)}", out error);
        }

        byte[] bytes;
        try
        {
            bytes = ReadAtMost(full, MaxBytes + 1);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail(displayPath, $"cannot read the file: {e.Message}", out error);
        }

        if (bytes.Length > MaxBytes)
        {
            return Fail(displayPath, $"is larger than {Size(MaxBytes)}, the most a config file may be", out error);
        }

        return Decode(bytes, displayPath, out error);
    }

    /// <summary>The text, or the line and column of the first NUL byte or invalid UTF-8 sequence.</summary>
    public static string? Decode(ReadOnlySpan<byte> bytes, string displayPath, out ConfigError? error)
    {
        error = null;
        var bom = bytes.StartsWith("\uFEFF"u8) ? 3 : 0;
        var (line, column) = (1, 1);
        for (var at = bom; at < bytes.Length;)
        {
            var status = System.Text.Rune.DecodeFromUtf8(bytes[at..], out var rune, out var used);
            if (status != OperationStatus.Done)
            {
                error = new ConfigError(displayPath, line, column, "", "the file is not valid UTF-8 here; save it as UTF-8 text");
                return null;
            }

            if (rune.Value == 0)
            {
                error = new ConfigError(displayPath, line, column, "", "the file holds a NUL byte here, so it is not text (a binary file?); hoist.yml must be UTF-8 text");
                return null;
            }

            (line, column) = rune.Value == '\n' ? (line + 1, 1) : (line, column + 1);
            at += used;
        }

        return Encoding.UTF8.GetString(bytes[bom..]);
    }

    private static byte[] ReadAtMost(string path, int limit)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1);
        var buffer = new byte[limit];
        var filled = 0;
        while (filled < buffer.Length && stream.Read(buffer, filled, buffer.Length - filled) is var read and > 0)
        {
            filled += read;
        }

        return buffer[..filled];
    }

    private static string Size(long bytes) =>
        bytes >= 1024 * 1024
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MiB")
            : string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KiB");

    private static string? Fail(string displayPath, string message, out ConfigError? error)
    {
        error = new ConfigError(displayPath, 0, 0, "", message);
        return null;
    }
}
