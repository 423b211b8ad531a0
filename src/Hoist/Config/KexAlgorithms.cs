namespace Hoist.Config;

/// <summary>The SSH key exchanges Hoist can offer a host (ssh.kex_algorithms), and the order it offers them in by default.</summary>
internal static class KexAlgorithms
{
    /// <summary>
    /// OpenSSH's own client list, in an order measured here: the host picks the first it also knows. ML-KEM first,
    /// post-quantum and cheap, where the host has it (OpenSSH 9.9 and later). Then the classic curves, before
    /// sntrup761: in SSH.NET's managed code its key generation takes about 40 ms of CPU per connection (x25519 about 2),
    /// which on 20 hosts was most of what a deploy spent (bench/deploy.sh). Set ssh.kex_algorithms to put it first.
    /// </summary>
    public static readonly IReadOnlyList<string> Default =
    [
        "mlkem768x25519-sha256",
        "curve25519-sha256",
        "curve25519-sha256@libssh.org",
        "ecdh-sha2-nistp256",
        "ecdh-sha2-nistp384",
        "ecdh-sha2-nistp521",
        "sntrup761x25519-sha512",
        "sntrup761x25519-sha512@openssh.com",
        "diffie-hellman-group-exchange-sha256",
        "diffie-hellman-group16-sha512",
        "diffie-hellman-group18-sha512",
        "diffie-hellman-group14-sha256",
    ];

    /// <summary>Every name SSH.NET implements: the defaults, and the SHA-1 ones OpenSSH also left out of its defaults (for old hosts, when asked).</summary>
    public static readonly IReadOnlyList<string> Supported =
    [
        .. Default,
        "diffie-hellman-group-exchange-sha1",
        "diffie-hellman-group14-sha1",
        "diffie-hellman-group1-sha1",
    ];
}
