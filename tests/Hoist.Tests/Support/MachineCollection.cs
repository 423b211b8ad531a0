namespace Hoist.Tests.Support;

/// <summary>
/// Tests on systemd-nspawn machines (<see cref="Testbed.StartMachinesAsync"/>): one at a time and alone, since the
/// machines, their bridge and cgroups are machine-wide and each boots a whole Debian.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MachineCollection
{
    public const string Name = "machines";
}
