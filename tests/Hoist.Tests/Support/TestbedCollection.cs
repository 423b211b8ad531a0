namespace Hoist.Tests.Support;

/// <summary>
/// Tests that start a testbed: they run one at a time and alone, since namespaces, bridges, /etc/netns and the
/// services inside (sshd, nginx, PostgreSQL) are machine-wide.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TestbedCollection
{
    public const string Name = "testbed";
}
