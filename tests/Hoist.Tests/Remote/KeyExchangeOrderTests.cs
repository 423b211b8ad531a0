namespace Hoist.Tests.Remote;

using Hoist.Config;
using Hoist.Core;
using Hoist.Remote;
using Renci.SshNet;

public sealed class KeyExchangeOrderTests
{
    [Fact]
    public void Every_Name_Hoist_Accepts_Is_One_The_Ssh_Library_Implements()
    {
        Assert.Empty(KexAlgorithms.Supported.Except(Info().KeyExchangeAlgorithms.Keys));
    }

    [Fact]
    public void Offers_Exactly_The_Names_Given_In_Their_Order()
    {
        var info = Info();

        KeyExchangeOrder.Apply(info, ["sntrup761x25519-sha512@openssh.com", "ecdh-sha2-nistp256"]);

        Assert.Equal(["sntrup761x25519-sha512@openssh.com", "ecdh-sha2-nistp256"], info.KeyExchangeAlgorithms.Keys);
    }

    [Fact]
    public void The_Default_Order_Replaces_The_Librarys()
    {
        var info = Info();

        KeyExchangeOrder.Apply(info, KexAlgorithms.Default);

        Assert.Equal(KexAlgorithms.Default, info.KeyExchangeAlgorithms.Keys);
    }

    [Fact]
    public void A_Name_The_Library_Lacks_Is_An_Error_Naming_It()
    {
        var error = Assert.Throws<HoistException>(() => KeyExchangeOrder.Apply(Info(), ["curve448-sha512"]));

        Assert.Contains("no key exchange curve448-sha512", error.Message, StringComparison.Ordinal);
    }

    private static ConnectionInfo Info() => new("127.0.0.1", 22, "deploy", new PasswordAuthenticationMethod("deploy", "unused"));
}
