using System.Buffers.Binary;
using System.Text;

namespace Hoist.Remote;

/// <summary>Reads the key type that opens an SSH public key blob.</summary>
internal static class SshKeyBlob
{
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
