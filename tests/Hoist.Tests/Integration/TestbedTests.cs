namespace Hoist.Tests.Integration;

using System.Diagnostics;
using Hoist.Tests.Support;

/// <summary>testbed/testbed: test hosts as network namespaces with their own sshd and /etc/nginx, and nothing left after down.</summary>
[Collection(TestbedCollection.Name)]
public sealed class TestbedTests
{
    [Fact]
    public async Task Each_Host_Answers_Ssh_At_Its_Own_Address_Reaches_The_Other_And_Has_Its_Own_Nginx_Config()
    {
        await using var testbed = await Testbed.StartAsync("web1", "db1");

        foreach (var host in new[] { "web1", "db1" })
        {
            var address = testbed.Address(host);
            var ssh = await testbed.SshAsync(host, "hostname -I; ip -4 -o addr show dev eth0; ip route; grep '^pid' /etc/nginx/nginx.conf");
            Assert.True(ssh.ExitCode == 0, ssh.ToString());
            var lines = ssh.Stdout.Split('\n');
            Assert.Equal(address, lines[0].Trim());
            Assert.Contains($"inet {address}/24", ssh.Stdout);
            Assert.DoesNotContain("default", ssh.Stdout);
            Assert.Contains($"pid /run/nginx-{testbed.Namespace(host)}.pid;", ssh.Stdout);
        }

        var reach = await testbed.ExecAsync("web1", $"echo > /dev/tcp/{testbed.Address("db1")}/22");
        Assert.True(reach.ExitCode == 0, reach.ToString());
        var outside = await testbed.ExecAsync("web1", "ip route get 192.0.2.1");
        Assert.True(outside.ExitCode != 0, $"web1 has a route out: {outside}");

        var marker = $"/etc/nginx/testbed-marker-{testbed.Prefix}";
        var write = await testbed.SshAsync("web1", $"touch {marker} && test -L /etc/nginx/sites-enabled/default");
        Assert.True(write.ExitCode == 0, write.ToString());
        Assert.Equal(0, (await testbed.ExecAsync("web1", $"test -e {marker}")).ExitCode);
        Assert.Equal(1, (await testbed.ExecAsync("db1", $"test -e {marker}")).ExitCode);
        Assert.False(File.Exists(marker), "the machine's own /etc/nginx got web1's file");

        var knownHosts = File.ReadAllLines(testbed.KnownHosts);
        Assert.Equal(2, knownHosts.Length);
        foreach (var (host, line) in new[] { "web1", "db1" }.Zip(knownHosts))
        {
            var key = File.ReadAllText(Path.Combine(testbed.Dir, host, "ssh_host_ed25519_key.pub")).Split(' ');
            Assert.Equal($"{testbed.Address(host)} {key[0]} {key[1]}", line);
        }
    }

    [Fact]
    public async Task Db_Hosts_Of_Two_Testbeds_Run_PostgreSQL_At_Once_Each_With_Its_Own_Socket_And_Pid_File()
    {
        await using var first = await Testbed.StartAsync("db1");
        await using var second = await Testbed.StartAsync("db1");
        var started = new List<string>();
        foreach (var testbed in new[] { first, second })
        {
            var run = await testbed.SshAsync("db1", "pg_ctlcluster $(pg_lsclusters -h | head -n 1 | cut -d' ' -f1,2) start && sudo -u postgres psql -XtAc 'SHOW unix_socket_directories'");
            Assert.True(run.ExitCode == 0, run.ToString());
            started.Add(run.Stdout.Split('\n')[0]);
        }

        Assert.Equal([Path.Combine(first.Dir, "db1", "run-postgresql"), Path.Combine(second.Dir, "db1", "run-postgresql")], started);
        foreach (var testbed in new[] { first, second })
        {
            // Both still answer: neither took the other's pid file or socket.
            var answer = await testbed.SshAsync("db1", "sudo -u postgres psql -XtAc 'SELECT 1' && pg_lsclusters -h | awk '{print $4}'");
            Assert.True(answer.ExitCode == 0, answer.ToString());
            Assert.Equal(["1", "online"], answer.Stdout.Trim().Split('\n'));
            Assert.Single(Directory.GetFiles(Path.Combine(testbed.Dir, "db1", "run-postgresql"), "*.pid"));
        }
    }

    [Fact]
    public async Task Up_Refuses_The_Dir_Of_Another_Testbed_And_Leaves_That_One_Working()
    {
        await using var testbed = await Testbed.StartAsync("web1");
        var prefix = Testbed.NewPrefix();
        var files = Directory.GetFileSystemEntries(testbed.Dir).Order().ToList();

        var up = await Run.ProcessAsync(Testbed.Script, ["up", "--dir", testbed.Dir, "--prefix", prefix, "web1"]);
        var down = await Testbed.DownAsync(prefix, testbed.Dir);

        Assert.Equal(1, up.ExitCode);
        Assert.Contains($"already holds testbed '{testbed.Prefix}'", up.Stderr, StringComparison.Ordinal);
        Assert.Contains($"belongs to testbed '{testbed.Prefix}', not {prefix}", down.Stderr, StringComparison.Ordinal);
        Assert.Equal(files, Directory.GetFileSystemEntries(testbed.Dir).Order().ToList());
        var ssh = await testbed.SshAsync("web1", "true");
        Assert.True(ssh.ExitCode == 0, ssh.ToString());
    }

    [Fact]
    public async Task Down_Given_Another_Dir_Cleans_The_Testbeds_Own_And_Touches_Nothing_In_The_Other()
    {
        var testbed = await Testbed.StartAsync("web1");
        using var other = new TempDir("hoist-not-a-testbed");
        other.Write("web1/data.txt", "precious");
        other.Write("client_key", "mine");

        var down = await Testbed.DownAsync(testbed.Prefix, other.Path);
        await testbed.DisposeAsync();

        Assert.True(down.ExitCode == 0, down.ToString());
        Assert.Contains($"was made in {testbed.Dir}, not {other.Path}", down.Stderr, StringComparison.Ordinal);
        Assert.Equal("precious", File.ReadAllText(other.Combine("web1", "data.txt")));
        Assert.Equal("mine", File.ReadAllText(other.Combine("client_key")));
        await AssertNothingLeftAsync(testbed.Prefix, testbed.Dir);
    }

    [Fact]
    public async Task Dispose_Stops_Everything_Started_Inside_And_Leaves_Nothing_Behind()
    {
        var testbed = await Testbed.StartAsync("web1", "db1");
        var nginx = await testbed.SshAsync("web1", $"nginx && cat /run/nginx-{testbed.Namespace("web1")}.pid");
        Assert.True(nginx.ExitCode == 0, nginx.ToString());
        var answer = await Run.ProcessAsync("curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", $"http://{testbed.Address("web1")}/"]);
        Assert.Equal("200", answer.Stdout);
        var sleeper = await testbed.SshAsync("db1", "setsid sleep 300 </dev/null >/dev/null 2>&1 & echo $!");
        Assert.True(sleeper.ExitCode == 0, sleeper.ToString());

        await testbed.DisposeAsync();

        await AssertNothingLeftAsync(testbed.Prefix, testbed.Dir);
        AssertEnded(nginx.Stdout.Trim());
        AssertEnded(sleeper.Stdout.Trim());
    }

    [Fact]
    public async Task Up_That_Fails_Half_Way_Removes_What_It_Made()
    {
        var prefix = Testbed.NewPrefix();
        using var dir = new TempDir("hoist-testbed");
        try
        {
            // A leftover link with the name db1's veth takes: web1 is up when db1's step fails.
            await Run.ShellAsync($"ip link add {prefix}v1 type bridge");

            var up = await Run.ProcessAsync(Testbed.Script, ["up", "--dir", dir.Path, "--prefix", prefix, "web1", "db1", "other1"]);

            Assert.NotEqual(0, up.ExitCode);
            Assert.Contains($"testbed: host web1: namespace {prefix}-web1", up.Stderr);
            Assert.Contains($"error: up {prefix} failed at", up.Stderr);
            Assert.Equal("", up.Stdout);
            await AssertNothingLeftAsync(prefix, dir.Path);
        }
        finally
        {
            await Testbed.DownAsync(prefix, dir.Path);
        }
    }

    [Fact]
    public async Task Down_After_A_Killed_Up_Removes_What_It_Made_And_Can_Run_Again()
    {
        var prefix = Testbed.NewPrefix();
        using var dir = new TempDir("hoist-testbed");
        var hosts = Enumerable.Range(1, 12).Select(i => $"web{i}");
        using (var up = Run.Start(Testbed.Script, ["up", "--dir", dir.Path, "--prefix", prefix, .. hosts]))
        {
            await WaitForNamespaceAsync(prefix);
            up.Kill(entireProcessTree: true);
            await up.WaitForExitAsync();
        }

        var down = await Testbed.DownAsync(prefix, dir.Path);
        var again = await Testbed.DownAsync(prefix, dir.Path);

        Assert.True(down.ExitCode == 0, down.ToString());
        Assert.True(again.ExitCode == 0, again.ToString());
        await AssertNothingLeftAsync(prefix, dir.Path);
    }

    [Fact]
    public async Task Up_Rejects_An_Invalid_Host_Name_Before_Making_Anything()
    {
        var prefix = Testbed.NewPrefix();
        using var dir = new TempDir("hoist-testbed");

        var up = await Run.ProcessAsync(Testbed.Script, ["up", "--dir", dir.Path, "--prefix", prefix, "web1", "Db_1", "other1"]);

        Assert.Equal(1, up.ExitCode);
        Assert.Contains("invalid host name 'Db_1'", up.Stderr);
        await AssertNothingLeftAsync(prefix, dir.Path);
    }

    /// <summary>The process is gone, or a zombie: ended, and not yet reaped by init, which adopted it.</summary>
    private static void AssertEnded(string pid)
    {
        var status = $"/proc/{pid}/status";
        var state = File.Exists(status) ? File.ReadLines(status).FirstOrDefault(l => l.StartsWith("State:", StringComparison.Ordinal)) : null;
        Assert.True(state is null || state.Contains("zombie", StringComparison.Ordinal), $"process {pid} still runs: {state}");
    }

    private static async Task WaitForNamespaceAsync(string prefix)
    {
        var watch = Stopwatch.StartNew();
        while (!(await Run.ShellAsync("ip netns list")).Contains($"{prefix}-", StringComparison.Ordinal))
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"testbed/testbed up made no namespace {prefix}-* in 10 s");
            await Task.Delay(10);
        }
    }

    private static async Task AssertNothingLeftAsync(string prefix, string dir)
    {
        Assert.DoesNotContain($"{prefix}-", await Run.ShellAsync("ip netns list"));
        Assert.DoesNotContain($": {prefix}", await Run.ShellAsync("ip -o link show"));
        Assert.Empty(Directory.Exists("/etc/netns") ? Directory.GetDirectories("/etc/netns", $"{prefix}-*") : []);
        Assert.Empty(Directory.GetFiles("/run", $"nginx-{prefix}-*"));
        Assert.False(File.Exists($"/run/hoist-testbed/{prefix}"));
        var processes = await Run.ProcessAsync("pgrep", ["-a", "-f", dir]);
        Assert.True(processes.ExitCode == 1, $"processes of {dir} still run: {processes.Stdout}");
        Assert.Empty(Directory.Exists(dir) ? Directory.GetFileSystemEntries(dir) : []);
    }
}
