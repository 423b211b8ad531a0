namespace Hoist.Remote;

using Hoist.Config;
using Hoist.Core;
using Hoist.Remote.Agent;
using Renci.SshNet;

/// <summary>
/// The keys offered to hosts, in order: those ssh-agent holds (as OpenSSH does), then the key file
/// (ssh.key, or the first default in ~/.ssh) unless the agent already holds it.
/// </summary>
internal static class SshKeys
{
    public const string AgentVariable = "SSH_AUTH_SOCK";

    public static IPrivateKeySource[] Load(SshConfig ssh) => Load(ssh, Environment.GetEnvironmentVariable(AgentVariable));

    public static IPrivateKeySource[] Load(SshConfig ssh, string? agentSocket)
    {
        var agent = string.IsNullOrEmpty(agentSocket) ? null : new AgentClient(agentSocket);
        IReadOnlyList<AgentIdentity> identities = [];
        HoistException? agentProblem = null;
        try
        {
            identities = agent?.ListIdentities() ?? [];
        }
        catch (HoistException error)
        {
            // A stale SSH_AUTH_SOCK (e.g. in an old tmux session) must not block a key file that works, as with ssh.
            agentProblem = error;
        }

        var path = ssh.KeyPath ?? SshKeyFile.FindDefault();
        var file = path is null ? null : SshKeyFile.Open(path, identities.Count > 0);
        var sources = new List<IPrivateKeySource>();
        if (identities.Count > 0)
        {
            sources.Add(AgentKeySource.For(agent!, identities));
        }

        if (file is not null && !identities.Any(i => i.Blob.AsSpan().SequenceEqual(file.HostKeyAlgorithms.First().Data)))
        {
            sources.Add(file);
        }

        return sources.Count > 0 ? [.. sources] : throw NoKey(agentSocket, agentProblem);
    }

    private static HoistException NoKey(string? agentSocket, HoistException? agentProblem)
    {
        var agent = agentProblem?.Message
            ?? (string.IsNullOrEmpty(agentSocket)
                ? $"{AgentVariable} is not set, so there is no ssh-agent to ask"
                : $"the ssh-agent at {AgentVariable}={agentSocket} holds no keys");
        return new HoistException(
            $"no ssh key to log in with: none of {SshKeyFile.DefaultList} exists, and {agent}. " +
            "Add a key to ssh-agent with ssh-add, make one with ssh-keygen -t ed25519, or set ssh.key in hoist.yml");
    }
}
