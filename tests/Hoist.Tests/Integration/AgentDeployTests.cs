namespace Hoist.Tests.Integration;

using Hoist.Tests.Support;

/// <summary>
/// Logging in with ssh-agent: hoist.yml has no ssh.key and HOME is an empty folder, so the only key
/// Hoist can reach is one a real ssh-agent holds.
/// </summary>
public sealed class AgentDeployTests : SshdTest
{
    private readonly TempDir home = new("hoist-home");
    private TestAgent agent = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        agent = await TestAgent.StartAsync();
        Dir.Write("publish/app.txt", "via agent\n");
    }

    public override async Task DisposeAsync()
    {
        await agent.DisposeAsync();
        home.Dispose();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task Deploys_With_An_Ed25519_Key_Only_The_Agent_Holds()
    {
        var key = await AddKeyThenDeleteItAsync(Sshd.ClientKey);

        var result = await DeployAsync();

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("via agent\n", AgentProject().ReadCurrent("app.txt"));
        Assert.Contains(await AcceptedLineAsync(key), File.ReadAllText(Sshd.LogFile));
    }

    [Fact]
    public async Task Deploys_With_An_Rsa_Key_Only_The_Agent_Holds_Using_Sha2()
    {
        // sshd refuses SHA-1 "ssh-rsa" signatures by default, so this passes only with rsa-sha2-* from the agent.
        var rsa = Dir.Combine("rsa_key");
        await Run.ShellAsync($"ssh-keygen -q -t rsa -b 2048 -N '' -C agent-rsa -f {rsa} && cp {rsa}.pub {Sshd.AuthorizedKeys}");
        var key = await AddKeyThenDeleteItAsync(rsa);

        var result = await DeployAsync();

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("via agent\n", AgentProject().ReadCurrent("app.txt"));
        Assert.Contains(await AcceptedLineAsync(key), File.ReadAllText(Sshd.LogFile));
    }

    [Fact]
    public async Task Agent_Refusing_To_Sign_Is_A_Clear_Error_Naming_SSH_AUTH_SOCK()
    {
        // -c: the agent asks SSH_ASKPASS (which says no here) before each signature.
        await AddKeyThenDeleteItAsync(Sshd.ClientKey, "-c");

        var result = await DeployAsync();

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith(
            $"error: 127.0.0.1:{Sshd.Port}: the ssh-agent at SSH_AUTH_SOCK={agent.SocketPath} refused to sign with its ssh-ed25519 key",
            result.Stderr);
        Assert.DoesNotContain("   at ", result.All);
        Assert.False(Directory.Exists(AgentProject().DeployTo));
    }

    [Fact]
    public async Task Empty_Agent_And_No_Key_File_Says_What_To_Do()
    {
        var result = await DeployAsync();

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            "error: no ssh key to log in with: none of ~/.ssh/id_ed25519, ~/.ssh/id_ecdsa, ~/.ssh/id_rsa exists, " +
            $"and the ssh-agent at SSH_AUTH_SOCK={agent.SocketPath} holds no keys. " +
            "Add a key to ssh-agent with ssh-add, make one with ssh-keygen -t ed25519, or set ssh.key in hoist.yml\n",
            result.Stderr);
    }

    [Fact]
    public async Task Unreachable_Agent_Is_Named_When_There_Is_No_Key_File()
    {
        var gone = Dir.Combine("gone.sock");

        var result = await DeployAsync(gone);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"error: no ssh key to log in with: none of ~/.ssh/id_ed25519, ~/.ssh/id_ecdsa, ~/.ssh/id_rsa exists, " +
            $"and cannot talk to the ssh-agent at SSH_AUTH_SOCK={gone} (", result.Stderr);
        Assert.DoesNotContain("   at ", result.All);
    }

    [Fact]
    public async Task Unreachable_Agent_Does_Not_Block_A_Key_File_That_Works()
    {
        var project = Support.Project.Create(Dir, Sshd, "upload: ./publish");

        var result = await project.HoistAsync(Environment(Dir.Combine("gone.sock")), "deploy");

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    private Project AgentProject() => Support.Project.Create(Dir, Sshd, "upload: ./publish", withKey: false);

    private Task<RunResult> DeployAsync(string? agentSocket = null) => AgentProject().HoistAsync(Environment(agentSocket), "deploy");

    private Dictionary<string, string> Environment(string? agentSocket = null) =>
        new() { ["SSH_AUTH_SOCK"] = agentSocket ?? agent.SocketPath, ["HOME"] = home.Path };

    /// <summary>Adds a copy of the key to the agent and deletes the copy, leaving the public half as the result.</summary>
    private async Task<string> AddKeyThenDeleteItAsync(string privateKey, params string[] options)
    {
        var copy = Dir.Combine("agent_only_key");
        File.Copy(privateKey, copy, overwrite: true);
        File.SetUnixFileMode(copy, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Copy(privateKey + ".pub", copy + ".pub", overwrite: true);
        await agent.AddAsync(copy, options);
        File.Delete(copy);
        return copy + ".pub";
    }

    /// <summary>What sshd logs when this key logs in, e.g. "Accepted publickey for root ... ssh2: ED25519 SHA256:...".</summary>
    private static async Task<string> AcceptedLineAsync(string publicKey)
    {
        var fields = (await Run.ShellAsync($"ssh-keygen -lf {publicKey} -E sha256")).Trim().Split(' ');
        return $"ssh2: {fields[^1].Trim('(', ')')} {fields[1]}";
    }
}
