namespace Hoist.Remote.Agent;

using Renci.SshNet;
using Renci.SshNet.Security;

/// <summary>The agent's keys as SSH.NET key source: each way each key can sign, in the order to try them.</summary>
internal sealed class AgentKeySource(IReadOnlyCollection<HostAlgorithm> algorithms) : IPrivateKeySource
{
    public IReadOnlyCollection<HostAlgorithm> HostKeyAlgorithms { get; } = algorithms;

    public static AgentKeySource For(AgentClient agent, IEnumerable<AgentIdentity> identities) =>
        new(identities
            .Where(i => i.KeyType is not null)
            .SelectMany(i => SignatureAlgorithms.For(i.KeyType!).Select(a => new AgentHostAlgorithm(agent, i, a.Name, a.Flags)))
            .ToList<HostAlgorithm>());
}
