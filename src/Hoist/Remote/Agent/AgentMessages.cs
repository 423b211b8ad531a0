namespace Hoist.Remote.Agent;

using System.Buffers.Binary;

/// <summary>
/// Builds and parses OpenSSH agent protocol messages (draft-miller-ssh-agent): each is a uint32 length,
/// then a type byte and its fields. Pure framing, no I/O, so every byte layout is unit-tested without an agent.
/// </summary>
internal static class AgentMessages
{
    public const byte Failure = 5;
    public const byte RequestIdentities = 11;
    public const byte IdentitiesAnswer = 12;
    public const byte SignRequest = 13;
    public const byte SignResponse = 14;

    /// <summary>OpenSSH's own limit; a longer length means a broken or hostile peer, so it is not allocated.</summary>
    public const int MaxLength = 256 * 1024;

    public static byte[] IdentitiesRequest() => Frame(RequestIdentities, []);

    public static byte[] Sign(byte[] keyBlob, byte[] data, uint flags)
    {
        var body = new byte[4 + keyBlob.Length + 4 + data.Length + 4];
        var at = WriteBytes(body, 0, keyBlob);
        at = WriteBytes(body, at, data);
        BinaryPrimitives.WriteUInt32BigEndian(body.AsSpan(at), flags);
        return Frame(SignRequest, body);
    }

    /// <summary>The length announced by a message's first four bytes: how many bytes of message follow.</summary>
    public static int BodyLength(ReadOnlySpan<byte> header)
    {
        var length = BinaryPrimitives.ReadUInt32BigEndian(header);
        return length is 0 or > MaxLength
            ? throw new InvalidDataException($"the agent announced a {length}-byte message")
            : (int)length;
    }

    /// <summary>The keys in an identities answer; an agent that answers with failure holds none Hoist can use.</summary>
    public static IReadOnlyList<AgentIdentity> ParseIdentities(ReadOnlySpan<byte> body)
    {
        var reader = new AgentWireReader(body);
        var type = reader.ReadByte();
        if (type == Failure)
        {
            return [];
        }

        Expect(type, IdentitiesAnswer);
        var count = reader.ReadUInt32();
        var identities = new List<AgentIdentity>();
        for (var i = 0u; i < count; i++)
        {
            identities.Add(new AgentIdentity(reader.ReadBytes(), reader.ReadText()));
        }

        return identities;
    }

    /// <summary>The signature blob (string algorithm, string signature), or null when the agent refused to sign.</summary>
    public static byte[]? ParseSignResponse(ReadOnlySpan<byte> body)
    {
        var reader = new AgentWireReader(body);
        var type = reader.ReadByte();
        if (type == Failure)
        {
            return null;
        }

        Expect(type, SignResponse);
        return reader.ReadBytes();
    }

    private static byte[] Frame(byte type, byte[] body)
    {
        var message = new byte[4 + 1 + body.Length];
        BinaryPrimitives.WriteUInt32BigEndian(message, (uint)(1 + body.Length));
        message[4] = type;
        body.CopyTo(message, 5);
        return message;
    }

    private static int WriteBytes(byte[] target, int at, byte[] value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(target.AsSpan(at), (uint)value.Length);
        value.CopyTo(target, at + 4);
        return at + 4 + value.Length;
    }

    private static void Expect(byte type, byte expected)
    {
        if (type != expected)
        {
            throw new InvalidDataException($"expected message type {expected}, got {type}");
        }
    }
}
