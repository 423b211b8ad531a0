using System.Security.Cryptography;
using System.Text;

namespace Hoist.Remote;

/// <summary>A "|1|salt|hmac" host field: HMAC-SHA1 of the lookup name, keyed by the salt.</summary>
internal sealed class HashedHostName(byte[] salt, byte[] hash) : IHostMatcher
{
    public bool Matches(string name) =>
        CryptographicOperations.FixedTimeEquals(Hash(salt, name), hash);

    public static byte[] Hash(byte[] salt, string name) =>
        HMACSHA1.HashData(salt, Encoding.UTF8.GetBytes(name));

    /// <summary>Parses "|1|salt|hmac"; null when it is not well formed.</summary>
    public static HashedHostName? TryParse(string field)
    {
        var parts = field.Split('|');
        if (parts.Length != 4 || parts[0].Length != 0 || parts[1] != "1")
            return null;
        var salt = Base64Field.TryDecode(parts[2]);
        var hash = Base64Field.TryDecode(parts[3]);
        return salt is null || salt.Length == 0 || hash?.Length != HMACSHA1.HashSizeInBytes
            ? null
            : new HashedHostName(salt, hash);
    }
}
