namespace Hoist.Config.Loading;

using System.Buffers;
using System.Text;
using Hoist.Core;

/// <summary>
/// Reads hoist.yml as bounded text: only a regular file (a link is followed, and what it leads to must be one), at
/// most <see cref="MaxBytes"/>, UTF-8 with no NUL byte. A FIFO would block the read and /dev/zero fill memory.
/// </summary>
internal static class ConfigFile
{
    /// <summary>A hoist.yml is a few KiB; this leaves room for long env blocks and comments.</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <param name="allowEmpty">An empty file is no error (a destination's overlay that changes nothing).</param>
    public static string? Read(string full, string displayPath, out ConfigError? error, bool allowEmpty = false)
    {
        var bytes = RegularFile.Read(full, MaxBytes, out var problem);
        if (bytes is null)
        {
            var message = problem switch
            {
                null => "does not exist",
                "is a folder" => "is a folder, not a config file; pass -c with the file itself",
                _ when problem.StartsWith("is larger", StringComparison.Ordinal) => $"{problem}, the most a config file may be",
                _ => $"{problem}; hoist reads its config from a regular file only",
            };
            return Fail(displayPath, message, out error);
        }

        if (bytes.Length == 0 && allowEmpty)
        {
            error = null;
            return "";
        }

        if (bytes.Length == 0)
        {
            return Fail(displayPath, "is empty; hoist.yml needs at least app:, a source and hosts:", out error);
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

    private static string? Fail(string displayPath, string message, out ConfigError? error)
    {
        error = new ConfigError(displayPath, 0, 0, "", message);
        return null;
    }
}
