namespace Hoist.Tests.Config.Loading;

using Hoist.Config;
using Hoist.Config.Loading;

public sealed class HostParserTests
{
    [Theory]
    [InlineData("10.0.0.5", "10.0.0.5", 22, "me")]
    [InlineData("web.example.com", "web.example.com", 22, "me")]
    [InlineData("127.0.0.1:2222", "127.0.0.1", 2222, "me")]
    [InlineData("deploy@10.0.0.5", "10.0.0.5", 22, "deploy")]
    [InlineData("deploy@10.0.0.5:2200", "10.0.0.5", 2200, "deploy")]
    [InlineData("[::1]:2200", "::1", 2200, "me")]
    [InlineData("[2001:db8::1]", "2001:db8::1", 22, "me")]
    [InlineData("deploy@[::1]:2", "::1", 2, "deploy")]
    [InlineData("2001:db8::1", "2001:db8::1", 22, "me")]
    public void Parses(string text, string address, int port, string user)
    {
        Assert.True(HostParser.TryParse(text, "me", 22, out var host, out var error), error);

        Assert.Equal(new HostConfig(address, port, user, false), host);
    }

    [Fact]
    public void Parses_Local_WithDefaultUser()
    {
        Assert.True(HostParser.TryParse("local", "me", 22, out var host, out _));

        Assert.Equal(HostConfig.Local("me"), host);
    }

    [Theory]
    [InlineData("10.0.0.5:0", "port '0' must be a number from 1 to 65535")]
    [InlineData("10.0.0.5:65536", "port '65536' must be a number from 1 to 65535")]
    [InlineData("10.0.0.5:ssh", "port 'ssh' must be a number from 1 to 65535")]
    [InlineData("10.0.0.5:", "port '' must be a number from 1 to 65535")]
    [InlineData("@10.0.0.5", "'' is not a valid user name")]
    [InlineData("de ploy@10.0.0.5", "'de ploy' is not a valid user name")]
    [InlineData("deploy@", "'' is not a valid host name or address")]
    [InlineData("web server", "'web server' is not a valid host name or address")]
    [InlineData("[::1", "'[' has no closing ']'")]
    [InlineData("[10.0.0.1]:22", "'10.0.0.1' in brackets is not an IPv6 address")]
    [InlineData("[::1]2200", "unexpected '2200' after ']'")]
    [InlineData("a:b:c", "too many ':'; write an IPv6 address in brackets, e.g. [::1]:22")]
    public void Rejects(string text, string reason)
    {
        Assert.False(HostParser.TryParse(text, "me", 22, out _, out var error));

        Assert.Equal($"invalid host '{text}': {reason}; write host, host:port, user@host:port, [v6]:port or local", error);
    }
}
