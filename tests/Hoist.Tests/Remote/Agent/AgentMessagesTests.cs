namespace Hoist.Tests.Remote.Agent;

using Hoist.Remote.Agent;

public sealed class AgentMessagesTests
{
    private static readonly byte[] Blob = Wire.Of("ssh-ed25519", new byte[] { 1, 2, 3 });

    [Fact]
    public void IdentitiesRequest_Is_Length_Then_Type_11() =>
        Assert.Equal(new byte[] { 0, 0, 0, 1, 11 }, AgentMessages.IdentitiesRequest());

    [Fact]
    public void SignRequest_Carries_Blob_Data_And_Flags()
    {
        var data = new byte[] { 9, 8, 7 };

        var message = AgentMessages.Sign(Blob, data, SignatureAlgorithms.RsaSha512);

        Assert.Equal(Wire.Message((byte)13, Blob, data, 4u), message);
    }

    [Fact]
    public void Parses_IdentitiesAnswer()
    {
        var other = Wire.Of("ssh-rsa", new byte[] { 4 });

        var identities = AgentMessages.ParseIdentities(Wire.Of((byte)12, 2u, Blob, "me@laptop", other, ""));

        Assert.Equal(2, identities.Count);
        Assert.Equal(Blob, identities[0].Blob);
        Assert.Equal("me@laptop", identities[0].Comment);
        Assert.Equal("ssh-ed25519", identities[0].KeyType);
        Assert.Equal("ssh-rsa", identities[1].KeyType);
        Assert.Equal("", identities[1].Comment);
    }

    [Fact]
    public void Failure_To_List_Means_No_Identities() =>
        Assert.Empty(AgentMessages.ParseIdentities([5]));

    [Fact]
    public void Parses_SignResponse_As_The_Whole_Signature_Blob()
    {
        var signature = Wire.Of("rsa-sha2-512", new byte[] { 5, 6 });

        Assert.Equal(signature, AgentMessages.ParseSignResponse(Wire.Of((byte)14, signature)));
    }

    [Fact]
    public void Failure_To_Sign_Is_Null() =>
        Assert.Null(AgentMessages.ParseSignResponse([5]));

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 12, 0, 0, 0, 1 })]
    [InlineData(new byte[] { 12, 0, 0, 0, 1, 0, 0, 0, 9, 1 })]
    [InlineData(new byte[] { 12, 0, 0, 0, 1, 0, 0, 0, 1, 7 })]
    [InlineData(new byte[] { 14, 0, 0, 0, 0 })]
    public void Rejects_Truncated_Or_Unexpected_IdentitiesAnswer(byte[] body) =>
        Assert.Throws<InvalidDataException>(() => AgentMessages.ParseIdentities(body));

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 14 })]
    [InlineData(new byte[] { 14, 0, 0, 0, 9, 1 })]
    [InlineData(new byte[] { 12, 0, 0, 0, 0 })]
    public void Rejects_Truncated_Or_Unexpected_SignResponse(byte[] body) =>
        Assert.Throws<InvalidDataException>(() => AgentMessages.ParseSignResponse(body));

    [Theory]
    [InlineData(0u)]
    [InlineData(256u * 1024 + 1)]
    [InlineData(uint.MaxValue)]
    public void Rejects_Empty_Or_Huge_Lengths(uint length) =>
        Assert.Throws<InvalidDataException>(() => AgentMessages.BodyLength(Wire.Of(length)));

    [Fact]
    public void Reads_The_Announced_Length() =>
        Assert.Equal(300, AgentMessages.BodyLength(Wire.Of(300u)));
}
