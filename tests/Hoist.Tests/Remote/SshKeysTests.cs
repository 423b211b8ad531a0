namespace Hoist.Tests.Remote;

using Hoist.Config;
using Hoist.Core;
using Hoist.Remote;
using Hoist.Remote.Agent;
using Hoist.Tests.Remote.Agent;
using Hoist.Tests.Support;
using Renci.SshNet;

public sealed class SshKeysTests : IDisposable
{
    private readonly TempDir dir = new("hoist-keys");

    public void Dispose() => dir.Dispose();

    [Fact]
    public void Offers_Agent_Keys_Before_The_Key_File()
    {
        var held = Generate("held", "");
        var file = Generate("file", "");
        using var agent = AgentHolding(held);

        var sources = SshKeys.Load(Ssh(file), agent.SocketPath);

        Assert.Equal(2, sources.Length);
        Assert.IsType<AgentKeySource>(sources[0]);
        Assert.Equal(PublicBlob(held), sources[0].HostKeyAlgorithms.Single().Data);
        Assert.IsType<PrivateKeyFile>(sources[1]);
    }

    [Fact]
    public void Skips_The_Key_File_When_The_Agent_Holds_It()
    {
        var key = Generate("key", "");
        using var agent = AgentHolding(key);

        var source = Assert.Single(SshKeys.Load(Ssh(key), agent.SocketPath));

        Assert.IsType<AgentKeySource>(source);
    }

    [Fact]
    public void Leaves_A_Passphrase_Key_To_The_Agent()
    {
        var locked = Generate("locked", "secret");
        using var agent = AgentHolding(locked);

        Assert.IsType<AgentKeySource>(Assert.Single(SshKeys.Load(Ssh(locked), agent.SocketPath)));
    }

    [Fact]
    public void Passphrase_Key_Without_Agent_Suggests_Ssh_Add()
    {
        var locked = Generate("locked", "secret");

        var error = Assert.Throws<HoistException>(() => SshKeys.Load(Ssh(locked), null));

        Assert.Contains("add it to ssh-agent with ssh-add", error.Message);
    }

    [Fact]
    public void Missing_Configured_Key_Is_An_Error_Even_With_Agent_Keys()
    {
        using var agent = AgentHolding(Generate("held", ""));

        var error = Assert.Throws<HoistException>(() => SshKeys.Load(Ssh(dir.Combine("nope")), agent.SocketPath));

        Assert.StartsWith($"ssh key {dir.Combine("nope")} does not exist", error.Message);
    }

    private static SshConfig Ssh(string key) => new("root", 22, key, "/dev/null", false, TimeSpan.FromSeconds(10));

    private string Generate(string name, string passphrase)
    {
        SshKeygen.RunOrThrow("-q", "-t", "ed25519", "-N", passphrase, "-C", name, "-f", dir.Combine(name));
        return dir.Combine(name);
    }

    private static byte[] PublicBlob(string key) => Convert.FromBase64String(File.ReadAllText(key + ".pub").Split(' ')[1]);

    private FakeAgent AgentHolding(string key) =>
        new(dir.Combine("agent.sock"), _ => Wire.Message((byte)12, 1u, PublicBlob(key), "held"));
}
