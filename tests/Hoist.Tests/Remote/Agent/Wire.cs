namespace Hoist.Tests.Remote.Agent;

using System.Buffers.Binary;
using System.Text;

/// <summary>Writes SSH wire fields by hand, so tests state expected bytes independently of the code under test.</summary>
internal static class Wire
{
    /// <summary>A byte is written as is, a uint as 4 bytes big-endian, a byte[] or string as a length-prefixed string.</summary>
    public static byte[] Of(params object[] fields)
    {
        var output = new List<byte>();
        foreach (var field in fields)
        {
            switch (field)
            {
                case byte value:
                    output.Add(value);
                    break;
                case uint value:
                    output.AddRange(UInt32(value));
                    break;
                case byte[] value:
                    output.AddRange(UInt32((uint)value.Length));
                    output.AddRange(value);
                    break;
                case string value:
                    output.AddRange(Of(Encoding.UTF8.GetBytes(value)));
                    break;
                default:
                    throw new ArgumentException($"no wire form for {field.GetType()}");
            }
        }

        return [.. output];
    }

    /// <summary>A whole message: its length, then the fields.</summary>
    public static byte[] Message(params object[] fields)
    {
        var body = Of(fields);
        return [.. UInt32((uint)body.Length), .. body];
    }

    private static byte[] UInt32(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }
}
