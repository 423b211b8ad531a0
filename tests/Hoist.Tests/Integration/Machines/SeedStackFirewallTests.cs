namespace Hoist.Tests.Integration.Machines;

using System.Diagnostics;
using System.Text.RegularExpressions;
using Hoist.Tests.Support;

/// <summary>
/// setup.firewall on the machines: the db port refused from lb1 and open from web1, the web hosts' nginx open from lb1
/// only, lb1 open to all; SSH and a deploy still work; a second setup changes nothing; rules that cut off hoist's new
/// connection come back by themselves; and off, hoist's table is gone (as the other tests of the stack expect it).
/// </summary>
public sealed partial class SeedStackTests
{
    /// <summary>Whether a TCP connection from the host to ADDRESS:PORT is accepted within 3 s: "open" or "closed".</summary>
    private static string TcpProbe(string address, int port) =>
        $"timeout 3 bash -c '</dev/tcp/{address}/{port}' 2>/dev/null && echo open || echo closed";

    [Fact]
    public async Task Setup_Firewall_Refuses_The_Db_Port_From_Lb1_Opens_It_To_Web1_Keeps_Ssh_Is_Idempotent_Rolls_Back_Rules_That_Cut_Hoist_Off_And_Is_Removed_When_Off()
    {
        var config = Path.Combine(stack.Dir.Path, "hoist.yml");
        var original = await File.ReadAllTextAsync(config);
        var on = original.TrimEnd('\n') + "\n  firewall: true\n";
        var hosts = new[] { "web1", "web2", "db1", "lb1" };
        try
        {
            await File.WriteAllTextAsync(config, on);

            var dry = await stack.HoistAsync("setup", "--dry-run");
            output.WriteLine($"setup --dry-run: exit {dry.ExitCode}\n{Lines(dry, "firewall", "dport")}");
            Assert.True(dry.ExitCode == 0, dry.ToString());
            Assert.Contains($"firewall rules for {stack.Address("db1")} (/etc/hoist/firewall.nft):", dry.Stdout, StringComparison.Ordinal);
            Assert.Contains($"ip saddr {{ {stack.Address("web1")}, {stack.Address("web2")} }} tcp dport 5432 accept", dry.Stdout, StringComparison.Ordinal);
            Assert.Matches($@"{Regex.Escape(stack.Address("db1"))}: would change +firewall \(nftables, table inet hoist\)", dry.Stdout);
            // Before: PostgreSQL on db1's address answers anyone (pg_hba then refuses who is not a web host).
            Assert.Equal("open", (await stack.Testbed.SshAsync("lb1", TcpProbe(stack.Address("db1"), 5432))).Stdout.Trim());

            var setup = await stack.HoistAsync("setup");
            output.WriteLine($"setup with setup.firewall: exit {setup.ExitCode}\n{Lines(setup, "firewall", "FAILED", "error")}");
            Assert.True(setup.ExitCode == 0, setup.ToString());
            foreach (var host in hosts)
            {
                Assert.Matches($@"{Regex.Escape(stack.Address(host))}: changed +firewall \(nftables, table inet hoist\)\n", setup.Stdout);
                Assert.Matches($@"{Regex.Escape(stack.Address(host))}: changed +firewall kept \(a new SSH connection got through\)\n", setup.Stdout);
            }

            // From another host: the db port refused from lb1 (not a web host), open from web1; nginx on web1 from lb1.
            var probes = new Dictionary<string, string>
            {
                ["lb1 -> db1:5432"] = (await stack.Testbed.SshAsync("lb1", TcpProbe(stack.Address("db1"), 5432))).Stdout.Trim(),
                ["web1 -> db1:5432"] = (await stack.Testbed.SshAsync("web1", TcpProbe(stack.Address("db1"), 5432))).Stdout.Trim(),
                ["lb1 -> web1:80"] = (await stack.Testbed.SshAsync("lb1", TcpProbe(stack.Address("web1"), 80))).Stdout.Trim(),
                ["web2 -> web1:80"] = (await stack.Testbed.SshAsync("web2", TcpProbe(stack.Address("web1"), 80))).Stdout.Trim(),
                ["web1 -> lb1:80"] = (await stack.Testbed.SshAsync("web1", TcpProbe(stack.Address("lb1"), 80))).Stdout.Trim(),
            };
            output.WriteLine(string.Join("; ", probes.Select(p => $"{p.Key} {p.Value}")));
            Assert.Equal("closed", probes["lb1 -> db1:5432"]);
            Assert.Equal("open", probes["web1 -> db1:5432"]);
            Assert.Equal("open", probes["lb1 -> web1:80"]);
            Assert.Equal("closed", probes["web2 -> web1:80"]);
            Assert.Equal("open", probes["web1 -> lb1:80"]);

            // From this machine: clients reach the app through lb1; web1's nginx is lb1's alone now.
            var (page, took) = await stack.WaitForPageAsync("lb1", TimeSpan.FromSeconds(30));
            // Each page is a visit written on db1 by web1 or web2: their way to PostgreSQL is open.
            output.WriteLine($"lb1's page from this machine in {took.TotalMilliseconds:F0} ms, visit-{Visit(page)}");
            Assert.True(Visit(page) > 0, page);
            using (var direct = new System.Net.Sockets.TcpClient())
            {
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(3));
                var refused = await Record.ExceptionAsync(async () => await direct.ConnectAsync(stack.Address("web1"), 80, wait.Token));
                output.WriteLine($"this machine -> web1:80: {refused?.GetType().Name ?? "connected"}");
                Assert.NotNull(refused);
            }

            // SSH still works: a deploy goes through on every host.
            var deploy = await stack.HoistAsync("deploy");
            output.WriteLine($"deploy behind the firewall: exit {deploy.ExitCode}\n{Lines(deploy, "is live", "FAILED", "error")}");
            Assert.True(deploy.ExitCode == 0, deploy.ToString());

            // Again: ok everywhere, and the rules not reloaded (the unit's start time and the live table unchanged).
            const string State = "systemctl show -p ActiveEnterTimestampMonotonic --value hoist-firewall.service; nft list table inet hoist | sha256sum | cut -c1-16; systemctl is-enabled hoist-firewall.service";
            var before = await Task.WhenAll(hosts.Select(async h => (await stack.Testbed.SshAsync(h, State)).Stdout.Trim().Replace('\n', ' ')));
            var again = await stack.HoistAsync("setup");
            var after = await Task.WhenAll(hosts.Select(async h => (await stack.Testbed.SshAsync(h, State)).Stdout.Trim().Replace('\n', ' ')));
            output.WriteLine($"setup again: exit {again.ExitCode}\n{Lines(again, "firewall")}\nunit start, table sha256, enabled before: {string.Join(" | ", before)}; after: {string.Join(" | ", after)}");
            Assert.True(again.ExitCode == 0, again.ToString());
            foreach (var host in hosts)
            {
                Assert.Matches($@"{Regex.Escape(stack.Address(host))}: ok +firewall \(nftables, table inet hoist\)\n", again.Stdout);
            }

            Assert.DoesNotContain("firewall kept", again.Stdout, StringComparison.Ordinal);
            Assert.Equal(before, after);
            Assert.All(after, a => Assert.EndsWith(" enabled", a, StringComparison.Ordinal));

            // nftables.service's flush ruleset (a restart, as at boot) does not lose hoist's table: its unit loads it after
            // (a propagated restart systemctl does not wait for: the table is back within moments, waited for up to 5 s).
            var flushed = await stack.Testbed.SshAsync("db1", "systemctl restart nftables.service && for i in $(seq 50); do nft list table inet hoist >/dev/null 2>&1 && break; sleep 0.1; done; nft list table inet hoist | sha256sum | cut -c1-16; nft list tables");
            output.WriteLine($"db1 after systemctl restart nftables: {flushed.Stdout.Trim().Replace('\n', ' ')} {flushed.Stderr.Trim()}");
            Assert.StartsWith(after[2].Split(' ')[1], flushed.Stdout, StringComparison.Ordinal);

            await RollbackAsync(on);
        }
        finally
        {
            await File.WriteAllTextAsync(config, original);
            await stack.Testbed.SshAsync("lb1", "nft delete table ip hoisttest 2>/dev/null || true");
            // Debian's nftables.service, started above on db1, stopped as it was (its stop flushes only db1's ruleset).
            await stack.Testbed.SshAsync("db1", "systemctl stop nftables.service || true");
            var off = await stack.HoistAsync("setup");
            output.WriteLine($"setup with setup.firewall off: exit {off.ExitCode}\n{Lines(off, "firewall", "table", "FAILED")}");
            Assert.True(off.ExitCode == 0, off.ToString());
        }

        var gone = await Task.WhenAll(hosts.Select(async h => (await stack.Testbed.SshAsync(h, "nft list table inet hoist >/dev/null 2>&1 && echo table || echo none; ls /etc/systemd/system/hoist-firewall.service 2>/dev/null || echo no-unit")).Stdout.Trim().Replace('\n', ' ')));
        output.WriteLine($"after setup with the firewall off: {string.Join(" | ", gone)}");
        Assert.All(gone, g => Assert.Equal("none no-unit", g));
        await stack.WaitForPageAsync("web1", TimeSpan.FromSeconds(30));
        var quiet = await stack.HoistAsync("setup");
        Assert.DoesNotContain("firewall", quiet.Stdout, StringComparison.Ordinal);
    }

    /// <summary>
    /// hoist reaches lb1 on port 2222, which lb1 forwards to sshd's 22 (a nat table of the user's own): the new rules
    /// open 2222 and not 22, so the new connection setup opens after loading them is dropped. Setup fails naming lb1,
    /// and within the rollback's time the old rules are back without anyone touching the host.
    /// </summary>
    private async Task RollbackAsync(string on)
    {
        var lb1 = stack.Address("lb1");
        Assert.Equal(0, (await stack.Testbed.SshAsync("lb1", "nft add table ip hoisttest && nft 'add chain ip hoisttest pre { type nat hook prerouting priority dstnat; }' && nft add rule ip hoisttest pre tcp dport 2222 redirect to :22")).ExitCode);
        var known = Path.Combine(stack.Dir.Path, "known_hosts_2222");
        var lines = (await File.ReadAllLinesAsync(stack.Testbed.KnownHosts)).Where(l => l.Split(' ')[0].Split(',').Contains(lb1)).Select(l => $"[{lb1}]:2222 " + l.Split(' ', 2)[1]);
        await File.WriteAllLinesAsync(known, (await File.ReadAllLinesAsync(stack.Testbed.KnownHosts)).Concat(lines));
        var config = on.Replace($"lb: root@{lb1}", $"lb: root@{lb1}:2222", StringComparison.Ordinal)
            .Replace($"known_hosts: {stack.Testbed.KnownHosts}", $"known_hosts: {known}\n  connect_timeout: 3", StringComparison.Ordinal);
        Assert.Contains(":2222", config, StringComparison.Ordinal);
        await File.WriteAllTextAsync(Path.Combine(stack.Dir.Path, "hoist.yml"), config);
        var loaded = (await stack.Testbed.SshAsync("lb1", "cat /etc/hoist/firewall.loaded | sha256sum | cut -c1-16; grep -c 'dport 22 accept' /etc/hoist/firewall.nft")).Stdout.Trim();

        var watch = Stopwatch.StartNew();
        var cut = await stack.HoistAsync("setup", "--role", "lb");
        var failedAfter = watch.Elapsed;
        output.WriteLine($"setup with lb1 reached on 2222 (forwarded to 22): exit {cut.ExitCode} after {failedAfter.TotalSeconds:F1} s\n{Lines(cut, "firewall", "FAILED", "error", "rules")}");
        Assert.NotEqual(0, cut.ExitCode);
        Assert.Contains($"a new SSH connection to {lb1}:2222 (port 2222) did not get through", cut.Stdout + cut.Stderr, StringComparison.Ordinal);
        Assert.Contains("the previous rules come back by themselves within 23 s", cut.Stdout + cut.Stderr, StringComparison.Ordinal);

        // Straight to 22 (as the testbed connects): dropped by the new rules until the rollback, then open again.
        string back = "";
        while (watch.Elapsed < TimeSpan.FromSeconds(60))
        {
            var ssh = await stack.Testbed.SshAsync("lb1", "nft list table inet hoist | sha256sum | cut -c1-16; grep -c 'dport 22 accept' /etc/hoist/firewall.nft; systemctl is-active hoist-firewall-rollback.timer || true", TimeSpan.FromSeconds(15));
            if (ssh.ExitCode == 0)
            {
                back = ssh.Stdout.Trim();
                break;
            }

            await Task.Delay(500);
        }

        output.WriteLine($"lb1 answered SSH on 22 again after {watch.Elapsed.TotalSeconds:F1} s (setup failed at {failedAfter.TotalSeconds:F1} s): live table sha256, kept file's 'dport 22' count, rollback timer: {back.Replace('\n', ' ')}; before: {loaded.Replace('\n', ' ')}");
        Assert.NotEqual("", back);
        Assert.True(watch.Elapsed > failedAfter, "SSH on 22 came back before setup had failed");
        // The live table is the one loaded before (its listing's hash), the kept file still the old one, no timer left.
        Assert.Equal(loaded.Split('\n'), back.Split('\n')[..2]);
        Assert.Equal("inactive", back.Split('\n')[2]);
    }
}
