namespace Hoist.Tests.Integration.Machines;

using Hoist.Tests.Support;

/// <summary>What a machine testbed leaves on this machine after down: nothing.</summary>
internal static class MachineLeftovers
{
    public static async Task AssertNoneAsync(string prefix, string dir)
    {
        foreach (var hierarchy in new[] { "systemd", "unified" })
        {
            Assert.False(Directory.Exists($"/sys/fs/cgroup/{hierarchy}/hoist-testbed/{prefix}"), $"cgroup {hierarchy}/hoist-testbed/{prefix} is left");
        }

        var nspawn = await Run.ProcessAsync("pgrep", ["-a", "-f", "--", $"--machine={prefix}-"]);
        Assert.True(nspawn.ExitCode == 1, $"nspawn of {prefix} still runs: {nspawn.Stdout}");
        Assert.DoesNotContain(dir, await File.ReadAllTextAsync("/proc/mounts"), StringComparison.Ordinal);
        Assert.DoesNotContain($": {prefix}", await Run.ShellAsync("ip -o link show"), StringComparison.Ordinal);
        Assert.DoesNotContain($"vb-{prefix}", await Run.ShellAsync("ip -o link show"), StringComparison.Ordinal);
        Assert.False(File.Exists($"/run/hoist-testbed/{prefix}"));
        Assert.Empty(Directory.Exists(dir) ? Directory.GetFileSystemEntries(dir) : []);
    }
}
