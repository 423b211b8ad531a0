namespace Hoist.Deploy;

using System.Globalization;
using System.Text;
using Microsoft.Win32.SafeHandles;

/// <summary>
/// A sparse file's tar data in the PAX 1.0 sparse format (GNU tar's, which the hosts' tar unpacks back into holes): a
/// map of the data regions, padded to a 512-byte block, then only those regions' bytes. The holes are never read.
/// </summary>
internal sealed class SparseTarData : Stream
{
    private readonly SafeFileHandle file;
    private readonly byte[] map;
    private readonly List<(long Offset, long Length)> regions;
    private long position;

    public SparseTarData(SafeFileHandle file, List<(long Offset, long Length)> regions, long size)
    {
        this.file = file;
        this.regions = regions;
        // A file that ends in a hole ends its map with an empty region at its size, so that tar makes it that long.
        var listed = regions.Count == 0 || regions[^1].Offset + regions[^1].Length < size ? [.. regions, (size, 0L)] : regions;
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"{listed.Count}\n");
        foreach (var (offset, length) in listed)
        {
            text.Append(CultureInfo.InvariantCulture, $"{offset}\n{length}\n");
        }

        var bytes = Encoding.ASCII.GetBytes(text.ToString());
        map = new byte[(bytes.Length + 511) / 512 * 512];
        bytes.CopyTo(map, 0);
        Length = map.Length + regions.Sum(r => r.Length);
    }

    /// <summary>The PAX attributes that mark the entry as sparse, for a file named <paramref name="name"/>.</summary>
    public static Dictionary<string, string> Attributes(string name, long size) => new()
    {
        ["GNU.sparse.major"] = "1",
        ["GNU.sparse.minor"] = "0",
        ["GNU.sparse.name"] = name,
        ["GNU.sparse.realsize"] = size.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>The name in the entry's own header, as GNU tar writes it: a tar that knows no sparse files unpacks it aside.</summary>
    public static string HeaderName(string name)
    {
        var slash = name.LastIndexOf('/');
        return slash < 0 ? $"GNUSparseFile.0/{name}" : $"{name[..slash]}/GNUSparseFile.0/{name[(slash + 1)..]}";
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length { get; }

    public override long Position { get => position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (position < map.Length)
        {
            var part = (int)Math.Min(buffer.Length, map.Length - position);
            map.AsSpan((int)position, part).CopyTo(buffer);
            position += part;
            return part;
        }

        var at = position - map.Length;
        foreach (var (offset, length) in regions)
        {
            if (at >= length)
            {
                at -= length;
                continue;
            }

            var read = RandomAccess.Read(file, buffer[..(int)Math.Min(buffer.Length, length - at)], offset + at);
            if (read == 0)
            {
                throw new IOException("the file shrank while it was packed");
            }

            position += read;
            return read;
        }

        return 0;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
