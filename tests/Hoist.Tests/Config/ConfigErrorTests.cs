namespace Hoist.Tests.Config;

using Hoist.Config;

public sealed class ConfigErrorTests
{
    [Fact]
    public void Prints_FileLineColumnPathMessage()
    {
        var error = new ConfigError("hoist.yml", 3, 7, "ssh.port", "expected an integer, got 'x'");

        Assert.Equal("hoist.yml:3:7: ssh.port: expected an integer, got 'x'", error.ToString());
    }

    [Fact]
    public void Omits_EmptyPath_AndMissingPosition()
    {
        Assert.Equal("hoist.yml:2:1: YAML syntax error", new ConfigError("hoist.yml", 2, 1, "", "YAML syntax error").ToString());
        Assert.Equal("hoist.yml: not found", new ConfigError("hoist.yml", 0, 0, "", "not found").ToString());
    }
}
