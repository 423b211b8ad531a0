namespace Hoist.Tests.Config;

using Hoist.Config;

public sealed class NginxSetupTests
{
    [Theory]
    [InlineData("example.com www.example.com", "example.com")]
    [InlineData("_ *.example.com ~^www\\d+ shop.example.com", "shop.example.com")]
    [InlineData(".example.com", "example.com")]
    [InlineData("example.com.", "example.com")]
    [InlineData("_ .example.org.", "example.org")]
    public void FirstHostName_Is_A_Name_Hoist_Serve_Accepts(string serverName, string expected)
    {
        Assert.Equal(expected, Setup(serverName).FirstHostName);
    }

    [Theory]
    [InlineData("_")]
    [InlineData("*.example.com")]
    [InlineData("..")]
    [InlineData("exa$mple.com")]
    [InlineData("-example.com")]
    [InlineData("mail.*")]
    public void FirstHostName_Is_Null_When_No_Name_Is_Valid(string serverName)
    {
        Assert.Null(Setup(serverName).FirstHostName);
    }

    private static NginxSetup Setup(string serverName) => new(serverName, 80, [], "1m", RemoveDefaultSite: false);
}
