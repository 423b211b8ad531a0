namespace Hoist.Tests.Integration.Machines;

using System.Diagnostics;
using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// testbed/testbed up --machines: systemd-nspawn machines with systemd as PID 1, each its own disk, host key,
/// address and apt (the local repository only); they survive a reboot, and down leaves nothing, even after a
/// killed up.
/// </summary>
[Collection(MachineCollection.Name)]
public sealed class MachineTestbedTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Machines_Boot_Systemd_On_Their_Own_Disks_Install_From_The_Local_Apt_Only_And_Survive_A_Reboot()
    {
        var watch = Stopwatch.StartNew();
        var testbed = await Testbed.StartMachinesAsync("web1", "web2", "db1");
        var up = watch.Elapsed;
        try
        {
            foreach (var host in testbed.Hosts)
            {
                var facts = await testbed.SshAsync(host, "cat /proc/1/comm; systemctl is-system-running; hostname; " +
                    "ip -4 -o addr show dev host0 | awk '{print $4}'; cat /etc/machine-id; cut -d' ' -f2 /etc/ssh/ssh_host_ed25519_key.pub; " +
                    "ip route | grep -c default || true; cat /etc/apt/sources.list.d/* /etc/apt/sources.list 2>/dev/null | grep -c '^deb' ; " +
                    "for p in nginx postgresql git python3; do dpkg-query -W -f='${Status}\\n' $p 2>/dev/null | grep -q 'install ok installed' && echo $p; done | wc -l");
                Assert.True(facts.ExitCode == 0, facts.ToString());
                var lines = facts.Stdout.Split('\n');
                output.WriteLine($"{host}: {string.Join(" | ", lines[..6])}");
                Assert.Equal("systemd", lines[0]);
                Assert.Equal("running", lines[1]);
                Assert.Equal(host, lines[2]);
                Assert.Equal($"{testbed.Address(host)}/24", lines[3]);
                Assert.Matches("^[0-9a-f]{32}$", lines[4]);
                Assert.Contains($"{testbed.Address(host)} ssh-ed25519 {lines[5]}", await File.ReadAllTextAsync(testbed.KnownHosts), StringComparison.Ordinal);
                Assert.Equal("0", lines[6]);
                Assert.Equal("1", lines[7]);
                Assert.Equal("0", lines[8]);
            }

            var ids = await Task.WhenAll(testbed.Hosts.Select(h => testbed.SshAsync(h, "cat /etc/machine-id")));
            Assert.Equal(3, ids.Select(i => i.Stdout).Distinct().Count());

            // Each its own disk: a file written on web1 is on no other machine, nor on this one.
            var marker = $"/root/marker-{testbed.Prefix}";
            Assert.Equal(0, (await testbed.SshAsync("web1", $"touch {marker}")).ExitCode);
            Assert.Equal(1, (await testbed.SshAsync("web2", $"test -e {marker}")).ExitCode);
            Assert.False(File.Exists(marker));
            var outside = await testbed.SshAsync("web1", "ip route get 192.0.2.1");
            Assert.True(outside.ExitCode != 0, $"web1 has a route out: {outside}");
            var reach = await testbed.SshAsync("web1", $"echo > /dev/tcp/{testbed.Address("db1")}/22");
            Assert.True(reach.ExitCode == 0, reach.ToString());

            // apt works offline, from the local repository.
            var apt = Stopwatch.StartNew();
            var install = await testbed.SshAsync("web2", "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends git >/dev/null && git --version && apt-cache policy git | grep -m1 -o 'file:/srv/hoist-apt'", TimeSpan.FromMinutes(3));
            output.WriteLine($"web2: apt-get install git from the local repository: {install.Stdout.Split('\n')[0]} in {apt.Elapsed.TotalSeconds:F1} s");
            Assert.True(install.ExitCode == 0, install.ToString());
            Assert.Contains("file:/srv/hoist-apt", install.Stdout, StringComparison.Ordinal);

            // A reboot: nspawn exits 133 and is started again; the disk stays.
            var bootId = (await testbed.SshAsync("web1", "cat /proc/sys/kernel/random/boot_id")).Stdout;
            var reboot = Stopwatch.StartNew();
            await testbed.SshAsync("web1", "systemctl reboot");
            var state = await WaitForNewBootAsync(testbed, "web1", bootId);
            output.WriteLine($"web1: back after systemctl reboot in {reboot.Elapsed.TotalSeconds:F1} s, {state}");
            Assert.Equal("running", state);
            Assert.Equal(0, (await testbed.SshAsync("web1", $"test -e {marker}")).ExitCode);
        }
        finally
        {
            watch.Restart();
            await testbed.DisposeAsync();
            output.WriteLine($"testbed up --machines web1 web2 db1: {up.TotalSeconds:F1} s; down: {watch.Elapsed.TotalSeconds:F1} s");
        }

        await MachineLeftovers.AssertNoneAsync(testbed.Prefix, testbed.Dir);
    }

    [Fact]
    public async Task Down_After_A_Killed_Up_Stops_Every_Machine_And_Leaves_Nothing()
    {
        var prefix = Testbed.NewPrefix();
        using var dir = new TempDir("hoist-testbed");
        try
        {
            await KillUpOnceBootingAsync(prefix, dir.Path);
        }
        catch
        {
            await Testbed.DownAsync(prefix, dir.Path);
            throw;
        }

        var down = await Testbed.DownAsync(prefix, dir.Path);
        var again = await Testbed.DownAsync(prefix, dir.Path);

        Assert.True(down.ExitCode == 0, down.ToString());
        Assert.True(again.ExitCode == 0, again.ToString());
        await MachineLeftovers.AssertNoneAsync(prefix, dir.Path);
    }

    private static async Task KillUpOnceBootingAsync(string prefix, string dir)
    {
        using (var up = Run.Start(Testbed.Script, ["up", "--machines", "--dir", dir, "--prefix", prefix, "web1", "web2"]))
        {
            // Killed once a machine is booting: its systemd keeps running without the up that started it.
            var watch = Stopwatch.StartNew();
            while (!Directory.Exists($"/sys/fs/cgroup/systemd/hoist-testbed/{prefix}/web2") || (await Run.ProcessAsync("pgrep", ["-f", "--", $"--machine={prefix}-web2"])).ExitCode != 0)
            {
                Assert.True(watch.Elapsed < TimeSpan.FromMinutes(5), "up --machines started no machine in 5 minutes");
                await Task.Delay(20);
            }

            up.Kill(entireProcessTree: true);
            await up.WaitForExitAsync();
        }
    }

    /// <summary>Waits (up to 60 s) until the host answers with another boot id; returns its systemd state.</summary>
    private static async Task<string> WaitForNewBootAsync(Testbed testbed, string host, string oldBootId)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(60))
        {
            var now = await testbed.SshAsync(host, "cat /proc/sys/kernel/random/boot_id; systemctl is-system-running --wait", TimeSpan.FromSeconds(40));
            if (now.ExitCode is 0 or 1 && now.Stdout.Split('\n') is [var id, var state, ..] && id != oldBootId.Trim())
            {
                return state;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{host} did not come back within 60 s of systemctl reboot");
    }
}
