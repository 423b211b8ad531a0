namespace Hoist.Tests.Integration.Machines;

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Hoist.Tests.Support;

/// <summary>hoist status and hoist logs on the machines: the fleet's table and JSON, a host made unhealthy and back, logs merged and followed across a rotation.</summary>
public sealed partial class SeedStackTests
{
    private static readonly Dictionary<string, string> Quiet = new() { ["SSH_AUTH_SOCK"] = "", ["NO_COLOR"] = "1" };

    [Fact]
    public async Task Status_Shows_Both_Hosts_Healthy_Then_Exits_1_Naming_Web2_With_Its_Unit_Stopped_And_0_Once_It_Is_Back()
    {
        var web1 = stack.Address("web1");
        var web2 = stack.Address("web2");
        var current = (await stack.Testbed.SshAsync("web2", $"basename \"$(readlink {SeedStack.DeployTo}/current)\"")).Stdout.Trim();

        var watch = Stopwatch.StartNew();
        var table = await stack.HoistAsync("status");
        output.WriteLine($"status ({watch.Elapsed.TotalSeconds:F1} s): {table}");
        Assert.True(table.ExitCode == 0, table.ToString());
        // The live release may have been made live again by an earlier test's revert or rollback: the row then says so.
        foreach (var host in new[] { web1, web2 })
        {
            Assert.Matches($@"(?m)^{System.Text.RegularExpressions.Regex.Escape(host)} +{current} +[0-9a-f]{{12}} +\S+ by \S+( \((revert|rollback)\))? +2/2 +\d+ +[\d.]+ MiB +active +200$", table.Stdout);
        }

        Assert.EndsWith("all 2 host(s) healthy\n", table.Stdout, StringComparison.Ordinal);

        var json = await stack.HoistAsync("status", "--json");
        Assert.True(json.ExitCode == 0, json.ToString());
        using (var parsed = JsonDocument.Parse(json.Stdout))
        {
            Assert.True(parsed.RootElement.GetProperty("healthy").GetBoolean());
            var hosts = parsed.RootElement.GetProperty("hosts").EnumerateArray().ToList();
            Assert.Equal([web1, web2], hosts.Select(h => h.GetProperty("host").GetString()));
            Assert.All(hosts, h =>
            {
                Assert.Equal(2, h.GetProperty("workers").GetProperty("ready").GetInt32());
                Assert.Equal(2, h.GetProperty("workers").GetProperty("total").GetInt32());
                Assert.Equal("active", h.GetProperty("unit").GetString());
                Assert.Equal(200, h.GetProperty("health").GetProperty("status").GetInt32());
                Assert.Equal(current, h.GetProperty("release").GetString());
                Assert.Contains(h.GetProperty("deployed").GetProperty("what").GetString(), new[] { "deploy", "rollback", "revert" });
            });
        }

        try
        {
            // web2's workers gone with its unit: deterministic, where a kill -9 of the workers alone is undone by hoist serve in half a second.
            await stack.Testbed.SshAsync("web2", $"systemctl stop {SeedStack.Unit}");
            var down = await stack.HoistAsync("status");
            output.WriteLine($"status with web2 stopped: {down}");
            Assert.Equal(1, down.ExitCode);
            Assert.Contains($"{web2}: unhealthy: unit {SeedStack.Unit} is inactive; hoist serve does not answer its status: ", down.Stdout, StringComparison.Ordinal);
            Assert.Contains("health /up answered 'HTTP/1.1 502 Bad Gateway' (2xx wanted)", down.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain($"{web1}: unhealthy", down.Stdout, StringComparison.Ordinal);
            Assert.EndsWith("1 of 2 host(s) unhealthy\n", down.Stdout, StringComparison.Ordinal);
            var downJson = await stack.HoistAsync("status", "--json");
            Assert.Equal(1, downJson.ExitCode);
            using var parsed = JsonDocument.Parse(downJson.Stdout);
            Assert.False(parsed.RootElement.GetProperty("healthy").GetBoolean());
            Assert.False(parsed.RootElement.GetProperty("hosts")[1].GetProperty("healthy").GetBoolean());
            Assert.True(parsed.RootElement.GetProperty("hosts")[0].GetProperty("healthy").GetBoolean());
        }
        finally
        {
            await stack.Testbed.SshAsync("web2", $"systemctl start {SeedStack.Unit}");
            await stack.WaitForUnitAsync("web2");
            await stack.WaitForPageAsync("web2", TimeSpan.FromSeconds(60));
        }

        var back = await stack.HoistAsync("status");
        output.WriteLine($"status once web2 is back: {back}");
        Assert.True(back.ExitCode == 0, back.ToString());
    }

    [Fact]
    public async Task Logs_Merges_Both_Hosts_And_Follow_Gets_Both_Across_Hoist_Serves_Own_Rotation_And_Ctrl_C_Leaves_No_Tail()
    {
        var web1 = stack.Address("web1");
        var web2 = stack.Address("web2");
        var last = await stack.HoistAsync("logs", "-n", "5");
        output.WriteLine($"logs -n 5: {last}");
        Assert.True(last.ExitCode == 0, last.ToString());
        var lines = last.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var host in new[] { web1, web2 })
        {
            Assert.InRange(lines.Count(l => l.StartsWith($"[{host}] ", StringComparison.Ordinal)), 1, 5);
        }

        Assert.All(lines, l => Assert.True(l.StartsWith($"[{web1}] ", StringComparison.Ordinal) || l.StartsWith($"[{web2}] ", StringComparison.Ordinal), l));

        var seen = new ConcurrentQueue<string>();
        // SIGINT as a terminal's Ctrl-C sends it: put back to its default first, since a test run started in the
        // background (as CI may) hands its children SIGINT ignored, and hoist would never see it.
        var process = Run.Start("python3", ["-c", "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])",
            stack.Hoist, "logs", "-f"], stack.Dir.Path, Quiet);
        var stderr = process.StandardError.ReadToEndAsync();
        var reading = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                seen.Enqueue(line);
            }
        });
        try
        {
            async Task<string> WaitForAsync(string host, string what, int after)
            {
                var watch = Stopwatch.StartNew();
                while (watch.Elapsed < TimeSpan.FromSeconds(60))
                {
                    var found = seen.Skip(after).FirstOrDefault(l => l.StartsWith($"[{host}] 20", StringComparison.Ordinal) && l.EndsWith(what, StringComparison.Ordinal));
                    if (found is not null)
                    {
                        return found;
                    }

                    if (process.HasExited)
                    {
                        Assert.Fail($"hoist logs -f ended (exit {process.ExitCode}): {await stderr}");
                    }

                    await Task.Delay(100);
                }

                throw new TimeoutException($"no line of {host} with '{what}' after line {after} within 60 s; seen:\n{string.Join('\n', seen)}");
            }

            // hoist serve logs each reload ("reloaded: 2 worker(s) on generation N", N new each time): one on each host, seen from each,
            // in logto's lines ("[HOST] 2026-..."; the journal has the same words from ExecReload, tagged "journal: ").
            var log = $"{SeedStack.DeployTo}/shared/log/serve.log";
            async Task<string> ReloadAsync(string host)
            {
                await stack.Testbed.SshAsync(host, $"systemctl reload {SeedStack.Unit}");
                var said = (await stack.Testbed.SshAsync(host, $"grep -o 'reloaded: .* on generation [0-9]*$' {log} | tail -n 1")).Stdout.Trim();
                Assert.StartsWith("reloaded: ", said, StringComparison.Ordinal);
                return said;
            }

            var reloaded1 = await ReloadAsync("web1");
            var reloaded2 = await ReloadAsync("web2");
            output.WriteLine($"after a reload on each: {await WaitForAsync(web1, reloaded1, 0)}\n{await WaitForAsync(web2, reloaded2, 0)}");

            // Reload web1 until hoist serve rotates its log (log_maxsize 8192): serve.log is then a new file.
            var inode = (await stack.Testbed.SshAsync("web1", $"stat -c %i {log}")).Stdout.Trim();
            var reloads = 0;
            while ((await stack.Testbed.SshAsync("web1", $"stat -c %i {log}")).Stdout.Trim() == inode)
            {
                Assert.True(++reloads <= 20, $"20 reloads and web1's {log} was never rotated");
                await stack.Testbed.SshAsync("web1", $"systemctl reload {SeedStack.Unit}");
            }

            var afterRotation = await WaitForAsync(web1, await ReloadAsync("web1"), 0);
            var newFile = (await stack.Testbed.SshAsync("web1", $"stat -c %i {log}; ls {log}*")).Stdout;
            output.WriteLine($"rotated after {reloads} reload(s) (inode {inode} -> {newFile.Replace('\n', ' ')}); then: {afterRotation}");
            Assert.Contains(afterRotation[(web1.Length + 3)..], (await stack.Testbed.SshAsync("web1", $"cat {log}")).Stdout, StringComparison.Ordinal);

            // [t]: the pattern must not match the shell that runs pgrep.
            var tails = $"pgrep -af '[t]ail -n 10 -F|[j]ournalctl -u {SeedStack.Unit}' || true";
            Assert.NotEqual("", (await stack.Testbed.SshAsync("web1", tails)).Stdout.Trim());
            await Run.ProcessAsync("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            var stopping = Stopwatch.StartNew();
            await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
            await reading;
            output.WriteLine($"Ctrl-C: exit {process.ExitCode} after {stopping.Elapsed.TotalSeconds:F2} s; stderr: {await stderr}");
            Assert.Equal(0, process.ExitCode);
            Assert.DoesNotContain("error", await stderr, StringComparison.Ordinal);

            // Nothing of it is left on either host (bounded: the channel's end reaches the host at once, or its beat fails within 1 s).
            foreach (var host in stack.WebHosts)
            {
                var left = "";
                var watch = Stopwatch.StartNew();
                while (watch.Elapsed < TimeSpan.FromSeconds(10) && (left = (await stack.Testbed.SshAsync(host, tails)).Stdout.Trim()) != "")
                {
                    await Task.Delay(100);
                }

                output.WriteLine($"{host}: tails left {watch.Elapsed.TotalSeconds:F2} s after hoist exited: '{left}'");
                Assert.Equal("", left);
            }

            var hostCounts = stack.WebHosts.Select(h => $"{h} {seen.Count(l => l.StartsWith($"[{stack.Address(h)}] ", StringComparison.Ordinal))}");
            output.WriteLine($"lines followed: {seen.Count} ({string.Join(", ", hostCounts)})");
        }
        finally
        {
            await Run.KillAsync(process);
        }
    }

    [Fact]
    public async Task Logs_Nginx_Gets_Web2s_Nginx_Error_Line_Prefixed_By_Its_Host_And_Not_Web1s()
    {
        var web1 = stack.Address("web1");
        var web2 = stack.Address("web2");
        // A static file that is not there: nginx logs its failed open() at error level, then hands the request to the app.
        var token = $"no-such-{Guid.NewGuid():N}";
        using (var http = stack.Http("web2"))
        {
            using var missing = await http.GetAsync($"static/{token}.css");
            output.WriteLine($"GET /static/{token}.css on web2: {(int)missing.StatusCode}");
        }

        var logs = await stack.HoistAsync("logs", "--nginx", "-n", "200", "--grep", token);
        output.WriteLine($"logs --nginx --grep {token}: {logs}");
        Assert.True(logs.ExitCode == 0, logs.ToString());
        var lines = logs.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var line = Assert.Single(lines);
        Assert.StartsWith($"[{web2}] ", line, StringComparison.Ordinal);
        Assert.Contains("nginx: ", line, StringComparison.Ordinal);
        Assert.Contains($"{SeedStack.DeployTo}/current/static/{token}.css\" failed (2: No such file or directory)", line, StringComparison.Ordinal);
        Assert.DoesNotContain($"[{web1}] ", logs.Stdout, StringComparison.Ordinal);
    }
}
