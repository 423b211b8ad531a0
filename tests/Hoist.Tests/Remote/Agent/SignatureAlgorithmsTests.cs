namespace Hoist.Tests.Remote.Agent;

using Hoist.Remote.Agent;

public sealed class SignatureAlgorithmsTests
{
    [Fact]
    public void Rsa_Offers_Sha2_Before_Sha1_With_Agent_Flags() =>
        Assert.Equal([("rsa-sha2-512", 4u), ("rsa-sha2-256", 2u), ("ssh-rsa", 0u)], SignatureAlgorithms.For("ssh-rsa"));

    [Fact]
    public void Rsa_Certificate_Offers_Sha2_Certificate_Names() =>
        Assert.Equal(
            [
                ("rsa-sha2-512-cert-v01@openssh.com", 4u),
                ("rsa-sha2-256-cert-v01@openssh.com", 2u),
                ("ssh-rsa-cert-v01@openssh.com", 0u),
            ],
            SignatureAlgorithms.For("ssh-rsa-cert-v01@openssh.com"));

    [Theory]
    [InlineData("ssh-ed25519")]
    [InlineData("ecdsa-sha2-nistp256")]
    [InlineData("sk-ssh-ed25519@openssh.com")]
    public void Other_Keys_Sign_Only_As_Their_Type(string type) =>
        Assert.Equal([(type, 0u)], SignatureAlgorithms.For(type));
}
