namespace Hoist.Core;

using System.Globalization;
using Hoist.Serve;

/// <summary>
/// Reads a file the user named (hoist.yml, known_hosts) that must be a regular file once links are followed, and at
/// most a given size. It is opened with O_NONBLOCK and fstat'ed before a byte is read: a FIFO (even behind a link)
/// would block open() and SIGTERM with it, and /dev/zero would fill memory, while the link's own size says nothing.
/// </summary>
internal static class RegularFile
{
    /// <summary>
    /// The contents, or null: with <paramref name="problem"/> null when nothing is there, else saying what is wrong
    /// ("is a FIFO, not a regular file", "is larger than 1 MiB, ...").
    /// </summary>
    public static byte[]? Read(string path, long limit, out string? problem)
    {
        problem = null;
        using var handle = Native.OpenRead(path, followLink: true, out var errno);
        if (handle.IsInvalid)
        {
            problem = errno switch
            {
                Native.ErrNoEntry => null,
                Native.ErrNoDevice => "is a socket or a device without a driver, not a regular file",
                _ => "cannot be read: " + System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(errno),
            };
            return null;
        }

        var facts = Native.Fstat(handle);
        if (facts.IsDirectory)
        {
            problem = "is a folder";
            return null;
        }

        if (!facts.IsRegular)
        {
            problem = $"is {facts.Kind}, not a regular file";
            return null;
        }

        if (facts.Size > limit)
        {
            problem = $"is larger than {Size(limit)}";
            return null;
        }

        // The size can grow while it is read, and /proc says 0 for files that hold text: read up to one byte past
        // the limit, growing the buffer as needed, to see either.
        var buffer = new byte[Math.Min(limit + 1, Math.Max(facts.Size + 1, 4096))];
        var filled = 0;
        while (RandomAccess.Read(handle, buffer.AsSpan(filled), filled) is var read and > 0)
        {
            filled += read;
            if (filled == buffer.Length)
            {
                if (buffer.Length > limit)
                {
                    break;
                }

                Array.Resize(ref buffer, (int)Math.Min(limit + 1, buffer.Length * 2L));
            }
        }

        if (filled > limit)
        {
            problem = $"is larger than {Size(limit)}";
            return null;
        }

        return buffer[..filled];
    }

    public static string Size(long bytes) =>
        bytes >= 1024 * 1024
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MiB")
            : string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KiB");
}
