namespace Hoist.Tests.Integration.Machines;

using System.Diagnostics;
using System.Text.RegularExpressions;
using Hoist.Tests.Support;

/// <summary>hoist run on the machines: one command on one web host, as the app user, with its .env, its exit code, a pty when hoist has a terminal.</summary>
public sealed partial class SeedStackTests
{
    /// <summary>
    /// Runs hoist on a pseudo-terminal of its own (python3's pty module, as a person's terminal would): waits for the
    /// command's prompt, says so in a file, waits for the test's go file, answers "bob", and prints all it saw and
    /// hoist's exit code. Polls, bounded; never sleeps a fixed time.
    /// </summary>
    private const string PtyDriver = """
        import os, pty, select, sys, time
        prompted, go, argv = sys.argv[1], sys.argv[2], sys.argv[3:]
        pid, fd = pty.fork()
        if pid == 0:
            os.execvp(argv[0], argv)
        out, answered, deadline = b"", False, time.monotonic() + 240
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(fd, 4096)
                except OSError:
                    break
                if not chunk:
                    break
                out += chunk
            if not answered and b"name? " in out:
                open(prompted, "w").close()
                if os.path.exists(go):
                    os.write(fd, b"bob\r")
                    answered = True
        else:
            os.kill(pid, 9)
            out += b"\nDRIVER TIMEOUT"
        _, status = os.waitpid(pid, 0)
        sys.stdout.write(out.decode(errors="replace") + "\nexit=%d\n" % os.waitstatus_to_exitcode(status))
        """;

    [Fact]
    public async Task Run_Without_A_Terminal_Is_The_App_User_With_Its_Env_In_Current_Passes_Stdin_And_The_Exit_Code()
    {
        var uid = (await stack.Testbed.SshAsync("web1", $"id -u {SeedStack.App}")).Stdout.Trim();
        var password = await AppPasswordAsync();
        var ownerRole = Regex.Match((await stack.Testbed.SshAsync("web1", $"cat {SeedStack.DeployTo}/.env.migrate")).Stdout, "://([^:@/]+):").Groups[1].Value;

        var id = await stack.HoistAsync("run", "--", "id -u; id -un; pwd; echo \"release=$HOIST_RELEASE\"");
        output.WriteLine($"run -- id -u ...: {id}");
        Assert.True(id.ExitCode == 0, id.ToString());
        var lines = id.Stdout.Split('\n');
        Assert.Equal(uid, lines[0]);
        Assert.NotEqual("0", lines[0]);
        Assert.Equal(SeedStack.App, lines[1]);
        Assert.Equal($"{SeedStack.DeployTo}/current", lines[2]);
        var current = (await stack.Testbed.SshAsync("web1", $"basename \"$(readlink {SeedStack.DeployTo}/current)\"")).Stdout.Trim();
        Assert.Equal($"release={current}", lines[3]);

        // shared/.env is there (DATABASE_URL, the app role's), and neither hoist nor the test prints its value.
        const string Role = "echo \"role=$(printf '%s' \"$DATABASE_URL\" | sed -E 's|^[a-z]+://([^:@/]+).*|\\1|')\"";
        var env = await stack.HoistAsync("run", "--", $"[ -n \"$DATABASE_URL\" ] && echo env-marker-ok; {Role}");
        var owner = await stack.HoistAsync("run", "--owner", "--", Role);
        output.WriteLine($"run -- env: {env}\nrun --owner: {owner} (owner role {ownerRole})");
        Assert.Equal($"env-marker-ok\nrole={SeedStack.App}_app\n", env.Stdout);
        Assert.Equal($"role={ownerRole}\n", owner.Stdout);
        Assert.NotEqual($"{SeedStack.App}_app", ownerRole);
        Assert.DoesNotContain(password, env.All + owner.All, StringComparison.Ordinal);

        var seven = await stack.HoistAsync("run", "--", "echo out; echo err >&2; exit 7");
        output.WriteLine($"run -- exit 7: {seven}");
        Assert.Equal(7, seven.ExitCode);
        Assert.Equal("out\n", seven.Stdout);
        Assert.Equal("err\n", seven.Stderr);

        var piped = await Run.ProcessAsync("bash", ["-c", $"echo hi | '{stack.Hoist}' run -- cat"], stack.Dir.Path,
            new Dictionary<string, string> { ["SSH_AUTH_SOCK"] = "", ["NO_COLOR"] = "1" }, TimeSpan.FromMinutes(2));
        output.WriteLine($"echo hi | hoist run -- cat: {piped}");
        Assert.Equal(0, piped.ExitCode);
        Assert.Equal("hi\n", piped.Stdout);

        var web2 = await stack.HoistAsync("run", "--host", stack.Address("web2"), "--", "hostname");
        var db = await stack.HoistAsync("run", "--host", stack.Address("db1"), "--", "hostname");
        output.WriteLine($"--host web2: {web2}\n--host db1: {db}");
        Assert.Equal((await stack.Testbed.SshAsync("web2", "hostname")).Stdout, web2.Stdout);
        Assert.Equal(2, db.ExitCode);
        Assert.Contains($"--host {stack.Address("db1")}: only a db or lb host", db.Stderr, StringComparison.Ordinal);

        // Each run's private file is gone once its command started.
        Assert.Equal("", (await stack.Testbed.SshAsync("web1", "ls /tmp/hoist-run.* 2>/dev/null || true")).Stdout);
    }

    [Fact]
    public async Task Run_On_A_Terminal_Gets_A_Pty_Answers_A_Prompt_As_The_App_User_And_No_Secret_Is_In_An_Argv()
    {
        var uid = (await stack.Testbed.SshAsync("web1", $"id -u {SeedStack.App}")).Stdout.Trim();
        var password = await AppPasswordAsync();
        var driver = stack.Dir.Write("pty_driver.py", PtyDriver);
        var prompted = Path.Combine(stack.Dir.Path, "prompted");
        var go = Path.Combine(stack.Dir.Path, "go");
        File.Delete(prompted);
        File.Delete(go);
        var command = "tty; echo \"uid=$(id -u)\"; [ -n \"$DATABASE_URL\" ] && echo env-marker-ok; python3 -c 'print(\"answer=\" + input(\"name? \"))'; exit 3";
        var process = Run.Start("python3", [driver, prompted, go, stack.Hoist, "run", "--", command], stack.Dir.Path,
            new Dictionary<string, string> { ["SSH_AUTH_SOCK"] = "", ["TERM"] = "xterm" });
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            var watch = Stopwatch.StartNew();
            while (!File.Exists(prompted) && !process.HasExited)
            {
                Assert.True(watch.Elapsed < TimeSpan.FromMinutes(3), "no prompt within 3 minutes");
                await Task.Delay(50);
            }

            // While the command waits for its answer: every process line on web1, none with the password in it.
            var ps = (await stack.Testbed.SshAsync("web1", "ps -eo user:20,args")).Stdout;
            var ours = ps.Split('\n').Where(l => l.Contains("hoist-run", StringComparison.Ordinal) || l.Contains("name? ", StringComparison.Ordinal)).ToList();
            output.WriteLine($"prompted after {watch.Elapsed.TotalSeconds:F1} s; web1's processes of the run:\n{string.Join('\n', ours)}");
            Assert.DoesNotContain(password, ps, StringComparison.Ordinal);
            Assert.Contains(ours, l => l.StartsWith(SeedStack.App + " ", StringComparison.Ordinal) && l.Contains("input(", StringComparison.Ordinal));
            await File.WriteAllTextAsync(go, "");

            await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token);
            var seen = await stdout;
            output.WriteLine($"through the pty:\n{seen}\nstderr: {await stderr}");
            // `tty` is the first line the command prints (after what .NET writes as it sets up hoist's terminal: ESC[?1h ESC=).
            Assert.Matches(@"(?m)(^|=)/dev/pts/\d+\r$", seen);
            Assert.Contains($"uid={uid}\r\n", seen, StringComparison.Ordinal);
            Assert.Contains("env-marker-ok\r\n", seen, StringComparison.Ordinal);
            Assert.Contains("name? bob\r\n", seen, StringComparison.Ordinal);
            Assert.Contains("answer=bob\r\n", seen, StringComparison.Ordinal);
            Assert.EndsWith("\nexit=3\n", seen, StringComparison.Ordinal);
            Assert.DoesNotContain(password, seen, StringComparison.Ordinal);
            Assert.Equal("", (await stack.Testbed.SshAsync("web1", "ls /tmp/hoist-run.* 2>/dev/null || true")).Stdout);
        }
        finally
        {
            await Run.KillAsync(process);
        }
    }

    /// <summary>The app role's password, from web1's shared/.env (for asserting it is printed nowhere).</summary>
    private async Task<string> AppPasswordAsync()
    {
        var password = Regex.Match((await stack.Testbed.SshAsync("web1", $"cat {SeedStack.DeployTo}/shared/.env")).Stdout, "DATABASE_URL=\\S+?://[^:]+:([^@]+)@").Groups[1].Value;
        Assert.True(password.Length >= 8, "no password in web1's shared/.env");
        return password;
    }
}
