namespace Hoist.Deploy;

using System.Security.Cryptography;

/// <summary>
/// A read-only pass-through that hashes what is read through it, and stops when cancelled (a Ctrl-C mid-file). It
/// ends at the length the file had when opened: a file that grows meanwhile must not overrun its tar header's size.
/// </summary>
internal sealed class HashingReadStream(Stream inner, CancellationToken cancel) : Stream
{
    private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly long length = inner.Length;
    private long done;

    public override bool CanRead => true;

    public override bool CanSeek => inner.CanSeek;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position { get => done; set => throw new NotSupportedException(); }

    /// <summary>The SHA-256 of everything read so far.</summary>
    public byte[] Hash() => hash.GetCurrentHash();

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        cancel.ThrowIfCancellationRequested();
        var read = inner.Read(buffer[..(int)Math.Min(buffer.Length, length - done)]);
        hash.AppendData(buffer[..read]);
        done += read;
        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            hash.Dispose();
        }

        base.Dispose(disposing);
    }
}
