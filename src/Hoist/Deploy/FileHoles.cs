namespace Hoist.Deploy;

using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

/// <summary>Where an open file holds data (lseek SEEK_DATA / SEEK_HOLE), so that a sparse file's holes are never read.</summary>
internal static partial class FileHoles
{
    private const int SeekData = 3;
    private const int SeekHole = 4;

    /// <summary>
    /// The file's data regions in order, or null when it has no hole (or its file system cannot tell): then it is
    /// read whole, as any other file.
    /// </summary>
    public static List<(long Offset, long Length)>? DataRegions(SafeFileHandle file, long size)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var fd = (int)file.DangerousGetHandle();
        var firstHole = lseek(fd, 0, SeekHole);
        if (firstHole < 0 || firstHole >= size)
        {
            return null;
        }

        var regions = new List<(long, long)>();
        var at = 0L;
        while (at < size)
        {
            // ENXIO past the last data: the rest of the file is one hole.
            var data = lseek(fd, at, SeekData);
            if (data < 0 || data >= size)
            {
                break;
            }

            var hole = lseek(fd, data, SeekHole);
            hole = hole < 0 || hole > size ? size : hole;
            regions.Add((data, hole - data));
            at = hole;
        }

        return regions;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial long lseek(int fd, long offset, int whence);
}
