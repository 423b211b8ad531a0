using System.Buffers.Binary;
using System.Text;

namespace Hoist.Remote;

/// <summary>Reads the key type that opens an SSH public key blob, and checks that the blob holds the whole key.</summary>
internal static class SshKeyBlob
{
    /// <summary>
    /// True when the blob is the SSH wire form of one whole key (RFC 4253 6.6, RFC 5656 3.1, RFC 8709): the type, then
    /// exactly the length-prefixed fields that type has, with nothing missing, cut short or left over. For a type not
    /// known here, a sequence of whole fields. A key cut short is a broken line, never a different key.
    /// </summary>
    public static bool IsComplete(byte[] blob)
    {
        var fields = new List<int>();
        for (var at = 0; at < blob.Length;)
        {
            if (blob.Length - at < 4)
                return false;
            var length = BinaryPrimitives.ReadUInt32BigEndian(blob.AsSpan(at));
            if (length > blob.Length - at - 4)
                return false;
            fields.Add((int)length);
            at += 4 + (int)length;
        }

        // Fields after the type: ed25519 its 32-byte key; RSA e and n; DSA p, q, g and y; ECDSA the curve and the point;
        // the security-key forms add the application.
        return TypeOf(blob) switch
        {
            null => false,
            "ssh-ed25519" => fields.Count == 2 && fields[1] == 32,
            "sk-ssh-ed25519@openssh.com" => fields.Count == 3 && fields[1] == 32,
            "ssh-rsa" => fields.Count == 3 && fields[1] > 0 && fields[2] > 0,
            "ssh-dss" => fields.Count == 5 && fields.Skip(1).All(f => f > 0),
            var type when type.StartsWith("ecdsa-sha2-", StringComparison.Ordinal) => fields.Count == 3 && fields[2] > 0,
            var type when type.StartsWith("sk-ecdsa-sha2-", StringComparison.Ordinal) => fields.Count == 4 && fields[2] > 0,
            _ => fields.Count >= 2,
        };
    }

    /// <summary>The type named inside the blob, or null when the blob is too short to hold one.</summary>
    public static string? TypeOf(byte[] blob)
    {
        if (blob.Length < 4)
            return null;
        var length = BinaryPrimitives.ReadUInt32BigEndian(blob);
        return length == 0 || length > blob.Length - 4
            ? null
            : Encoding.ASCII.GetString(blob, 4, (int)length);
    }

    /// <summary>
    /// The key type known_hosts files use for a key. The blob is authoritative; RSA signature
    /// algorithm names ("rsa-sha2-512") stand for the one "ssh-rsa" key type.
    /// </summary>
    public static string KeyTypeOf(string keyType, byte[] blob) =>
        TypeOf(blob) ?? (keyType.StartsWith("rsa-sha2-", StringComparison.Ordinal) ? "ssh-rsa" : keyType);
}
