namespace Hoist.Remote.Agent;

/// <summary>
/// The signature algorithms to offer for an agent key, best first, with the agent sign-request flag each needs.
/// One RSA key signs three ways; modern servers refuse SHA-1 "ssh-rsa", so the SHA-2 ones go first.
/// </summary>
internal static class SignatureAlgorithms
{
    public const uint RsaSha256 = 2;
    public const uint RsaSha512 = 4;

    private const string CertSuffix = "-cert-v01@openssh.com";

    public static IReadOnlyList<(string Name, uint Flags)> For(string keyType) => keyType switch
    {
        "ssh-rsa" => [("rsa-sha2-512", RsaSha512), ("rsa-sha2-256", RsaSha256), ("ssh-rsa", 0)],
        "ssh-rsa" + CertSuffix => [("rsa-sha2-512" + CertSuffix, RsaSha512), ("rsa-sha2-256" + CertSuffix, RsaSha256), (keyType, 0)],
        _ => [(keyType, 0)],
    };
}
