namespace Hoist.Setup;

using System.Security.Cryptography;
using System.Text;

/// <summary>
/// PostgreSQL's scram-sha-256 password verifier, computed here, so that the password itself never reaches the
/// database host: <c>ALTER ROLE ... PASSWORD 'SCRAM-SHA-256$...'</c> stores the verifier as given. The salt is
/// derived from the password and role, so the same password always gives the same verifier and a rerun can
/// see that nothing changed (the passwords are long and random, which is what a salt otherwise guards).
/// </summary>
internal static class Scram
{
    public const int Iterations = 4096;

    public static string Verifier(string role, string password)
    {
        var secret = Encoding.UTF8.GetBytes(password);
        var salt = HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes("hoist scram salt for " + role))[..16];
        var salted = Rfc2898DeriveBytes.Pbkdf2(secret, salt, Iterations, HashAlgorithmName.SHA256, 32);
        var clientKey = HMACSHA256.HashData(salted, "Client Key"u8);
        var storedKey = SHA256.HashData(clientKey);
        var serverKey = HMACSHA256.HashData(salted, "Server Key"u8);
        return $"SCRAM-SHA-256${Iterations}:{Convert.ToBase64String(salt)}${Convert.ToBase64String(storedKey)}:{Convert.ToBase64String(serverKey)}";
    }

    /// <summary>A new password: 32 letters and digits (190 bits), nothing a URL or a .env file must escape.</summary>
    public static string NewPassword() =>
        RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 32);
}
