namespace Hoist.Remote.Agent;

using System.Buffers.Binary;
using System.Text;

/// <summary>
/// Reads SSH wire fields (byte, uint32, length-prefixed string) from an agent message, throwing
/// <see cref="InvalidDataException"/> rather than reading past the end, because the bytes come from another process.
/// </summary>
internal ref struct AgentWireReader(ReadOnlySpan<byte> data)
{
    private ReadOnlySpan<byte> rest = data;

    public readonly bool AtEnd => rest.IsEmpty;

    public byte ReadByte() => Take(1)[0];

    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32BigEndian(Take(4));

    public byte[] ReadBytes()
    {
        var length = ReadUInt32();
        return length > rest.Length
            ? throw new InvalidDataException($"a field claims {length} bytes but only {rest.Length} remain")
            : Take((int)length).ToArray();
    }

    public string ReadText() => Encoding.UTF8.GetString(ReadBytes());

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > rest.Length)
        {
            throw new InvalidDataException($"the message ended early: {count} more bytes expected, {rest.Length} left");
        }

        var taken = rest[..count];
        rest = rest[count..];
        return taken;
    }
}
