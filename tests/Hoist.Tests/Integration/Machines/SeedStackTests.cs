namespace Hoist.Tests.Integration.Machines;

using System.Diagnostics;
using System.Text.RegularExpressions;
using Hoist.Tests.Integration.Serve;
using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// The production path on real machines (systemd as PID 1, own disks, apt): examples/flask on web1 + web2 with
/// PostgreSQL on db1, brought up by check, setup and deploy, then rebooted, killed, redeployed under load, given a
/// release that fails its health check, and set up again.
/// </summary>
[Collection(MachineCollection.Name)]
public sealed partial class SeedStackTests(SeedStack stack, ITestOutputHelper output) : IClassFixture<SeedStack>
{
    [Fact]
    public async Task Check_Setup_Deploy_On_Fresh_Machines_Installs_With_Apt_Starts_The_Unit_And_Both_Pages_Show_Rows_Written_On_Db1()
    {
        output.WriteLine($"machines up in {stack.MachinesUp.TotalSeconds:F1} s");
        output.WriteLine($"check: exit {stack.Check!.ExitCode}\n{stack.Check.Stdout}{stack.Check.Stderr}");
        output.WriteLine($"setup: exit {stack.Setup!.ExitCode}\n{Lines(stack.Setup, "packages", "service", "] ok:", "FAILED")}");
        output.WriteLine($"deploy: exit {stack.Deploy!.ExitCode}\n{Lines(stack.Deploy, "is live", "FAILED", "error")}");

        // A fresh web host has no git; check says setup installs it. A db-only host needs none.
        foreach (var web in stack.WebHosts)
        {
            Assert.Contains($"[{stack.Address(web)}]", stack.Check.Stdout + stack.Check.Stderr, StringComparison.Ordinal);
        }

        Assert.Contains("git is not installed; hoist setup installs it", stack.Check.Stdout + stack.Check.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(stack.Check.Stdout.Split('\n'), l => l.Contains($"[{stack.Address("db1")}]", StringComparison.Ordinal) && l.Contains("git", StringComparison.Ordinal));

        var dbOnly = await stack.Testbed.SshAsync("db1", $"ls -d {SeedStack.DeployTo} {SeedStack.DeployTo}/.hoist 2>&1; command -v git || echo 'no git'");
        output.WriteLine($"db1 after check, setup, deploy: {dbOnly.Stdout.Replace('\n', ' ')}");
        Assert.Contains($"cannot access '{SeedStack.DeployTo}'", dbOnly.Stdout, StringComparison.Ordinal);
        Assert.Contains("no git", dbOnly.Stdout, StringComparison.Ordinal);
        Assert.True(stack.Setup.ExitCode == 0, stack.Setup.ToString());
        Assert.True(stack.Deploy.ExitCode == 0, stack.Deploy.ToString());
        Assert.Matches($@"{Regex.Escape(stack.Address("db1"))}: changed +packages \(.*postgresql", stack.Setup.Stdout);
        foreach (var web in stack.WebHosts)
        {
            Assert.Matches($@"{Regex.Escape(stack.Address(web))}: changed +packages \(.*nginx.*\)", stack.Setup.Stdout);
            Assert.Matches($@"{Regex.Escape(stack.Address(web))}: changed +packages \(.*git", stack.Setup.Stdout);
            var unit = stack.UnitStates[web];
            output.WriteLine($"{web} after the deploy: {unit.Replace('\n', ' ')}");
            Assert.Equal(["active", "enabled"], unit.Split('\n')[..2]);
        }

        // Each page is a row written to PostgreSQL on db1; web2's page shows web1's row: one database for both.
        using var web1 = stack.Http("web1");
        using var web2 = stack.Http("web2");
        var first = Visit(await web1.GetStringAsync(""));
        var page = await web2.GetStringAsync("");
        output.WriteLine($"web1 wrote visit-{first}; web2's page lists visits {string.Join(", ", VisitIds().Matches(page).Select(m => m.Groups[1].Value))}");
        Assert.Contains($"id=\"visit-{first}\"", page, StringComparison.Ordinal);
        Assert.True(Visit(page) > first);
        var count = await stack.Testbed.SshAsync("db1", $"runuser -u postgres -- psql -X -At -d {SeedStack.App} -c 'SELECT count(*) FROM visits'");
        Assert.True(count.ExitCode == 0 && int.Parse(count.Stdout.Trim(), System.Globalization.CultureInfo.InvariantCulture) >= 2, count.ToString());

        // pg_hba admits the app role from web1 and web2, and from nowhere else (db1's own address here).
        var hba = await stack.Testbed.SshAsync("db1", "grep -h hoistflask /etc/postgresql/*/main/pg_hba.conf");
        output.WriteLine($"pg_hba.conf on db1:\n{hba.Stdout}");
        foreach (var web in stack.WebHosts)
        {
            Assert.Contains($"{stack.Address(web)}/32", hba.Stdout, StringComparison.Ordinal);
            var login = await ConnectFromAsync(web, $"{SeedStack.DeployTo}/shared/.env");
            Assert.True(login.ExitCode == 0, $"the app role cannot log in from {web}: {login}");
        }

        var outsider = await stack.Testbed.SshAsync("db1", $"PGCONNECT_TIMEOUT=5 psql -X -h {stack.Address("db1")} -U {SeedStack.App}_app -d {SeedStack.App} -c 'SELECT 1' </dev/null");
        output.WriteLine($"as {SeedStack.App}_app from db1: {outsider.Stderr.Trim()}");
        Assert.Contains("pg_hba.conf rejects connection", outsider.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reboot_Of_Web1_Then_Db1_Serves_Again_With_No_Hoist_Command()
    {
        var (before, _) = await stack.WaitForPageAsync("web1", TimeSpan.FromSeconds(30));
        var web1Back = await RebootAsync("web1");
        var (page, took) = await stack.WaitForPageAsync("web1", TimeSpan.FromSeconds(90));
        output.WriteLine($"web1 rebooted (up again {web1Back.TotalSeconds:F1} s after systemctl reboot): its page answers 200 {took.TotalSeconds:F1} s later, visit-{Visit(page)}");
        var unit = await stack.Testbed.SshAsync("web1", $"systemctl is-active {SeedStack.Unit}; systemctl is-enabled {SeedStack.Unit}");
        Assert.Equal(["active", "enabled"], unit.Stdout.Trim().Split('\n'));
        Assert.True(Visit(page) > Visit(before));

        // While db1 is down the workers' health checks fail; once it is back, new connections and new rows.
        var db1Back = await RebootAsync("db1");
        var (after, dbTook) = await stack.WaitForPageAsync("web1", TimeSpan.FromSeconds(90));
        var (after2, _) = await stack.WaitForPageAsync("web2", TimeSpan.FromSeconds(90));
        output.WriteLine($"db1 rebooted (up again {db1Back.TotalSeconds:F1} s after systemctl reboot): web1's page answers 200 with a new row {dbTook.TotalSeconds:F1} s later (visit-{Visit(after)}), web2's too (visit-{Visit(after2)})");
        Assert.True(Visit(after) > Visit(page));
        Assert.True(Visit(after2) > Visit(after));
    }

    [Fact]
    public async Task Kill9_Of_Hoist_Serve_Main_Process_Is_Restarted_By_Systemd_And_The_Site_Answers_Again()
    {
        await stack.WaitForPageAsync("web2", TimeSpan.FromSeconds(30));
        var before = await stack.MainPidAsync("web2");
        var watch = Stopwatch.StartNew();
        var kill = await stack.Testbed.SshAsync("web2", $"kill -9 {before}");
        Assert.True(kill.ExitCode == 0, kill.ToString());
        // The old workers may answer for a moment after their server died: wait for systemd's new one, then its page.
        var after = before;
        while (after == before || after == "0")
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"systemd did not start hoist serve again within 60 s (MainPID {after})");
            await Task.Delay(50);
            after = await stack.MainPidAsync("web2");
        }

        await stack.WaitForUnitAsync("web2");
        var (_, _) = await stack.WaitForPageAsync("web2", TimeSpan.FromSeconds(60));
        var took = watch.Elapsed;
        var restarts = await stack.Testbed.SshAsync("web2", $"systemctl show -p NRestarts --value {SeedStack.Unit}; pgrep -c -f hoist_gunicorn.py");
        output.WriteLine($"kill -9 {before} (hoist serve on web2): the site answered again after {took.TotalSeconds:F1} s, main pid {after}; NRestarts, gunicorn workers: {restarts.Stdout.Replace('\n', ' ')}");
        Assert.NotEqual(before, after);
        Assert.NotEqual("0", after);
        Assert.Equal("2", restarts.Stdout.Split('\n')[1].Trim());
    }

    [Fact]
    public async Task Deploy_Of_A_New_Commit_Under_Load_On_Both_Web_Hosts_Through_The_Systemd_Reload_Fails_No_Request()
    {
        foreach (var web in stack.WebHosts)
        {
            await stack.WaitForPageAsync(web, TimeSpan.FromSeconds(30));
        }

        await stack.CommitAsync("a new stylesheet", ("static/site.css", stack.Read("static/site.css") + $"\n/* {Guid.NewGuid()} */\n"));
        using var web1 = stack.Http("web1");
        using var web2 = stack.Http("web2");
        using var hog = CpuHog.Start();
        var loads = new[] { new ClientLoad(web1, "", clients: 8, read: Release), new ClientLoad(web2, "", clients: 8, read: Release) };
        var deploy = await stack.HoistAsync("deploy", "-m", "under load");
        var release = Regex.Match(deploy.Stdout, @"release (\d{14}) .* is live").Groups[1].Value;
        var results = new List<LoadResult>();
        foreach (var load in loads)
        {
            results.Add(await load.StopAsync());
            await load.DisposeAsync();
        }

        output.WriteLine($"deploy under load ({hog}): exit {deploy.ExitCode}, release {release}\n{Lines(deploy, "is live", "reload", "FAILED", "error")}");
        output.WriteLine($"web1: {results[0]}\nweb2: {results[1]}");
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        Assert.All(results, r => Assert.Empty(r.Failures));
        Assert.All(results, r => Assert.True(r.Total > 50, $"only {r.Total} requests"));
        foreach (var web in stack.WebHosts)
        {
            using var http = stack.Http(web);
            Assert.Equal(release, Release(await http.GetStringAsync("")));
        }
    }

    [Fact]
    public async Task Deploy_Whose_Release_Fails_Its_Health_Check_Exits_NonZero_Shows_Why_And_The_Old_Workers_Keep_Serving()
    {
        var good = await stack.WaitForPageAsync("web1", TimeSpan.FromSeconds(30));
        var goodRelease = Release(good.Page);
        const string Init = "myproject/__init__.py";
        var original = stack.Read(Init);
        var healthy = "return \"ok\\n\", 200, {\"Content-Type\": \"text/plain; charset=utf-8\"}";
        Assert.Contains(healthy, original, StringComparison.Ordinal);
        // It also prints its DATABASE_URL, as a careless app does: the password must show nowhere.
        await stack.CommitAsync("a broken health check", (Init, original.Replace(healthy, "print('broken on purpose: no database today', os.environ.get('DATABASE_URL'), flush=True)\n        return \"broken on purpose\\n\", 500", StringComparison.Ordinal)));
        var password = Regex.Match((await stack.Testbed.SshAsync("web1", $"grep ^DATABASE_URL= {SeedStack.DeployTo}/shared/.env")).Stdout, ":([^:@/]+)@").Groups[1].Value;
        Assert.True(password.Length >= 16, "no database password in web1's .env");
        using var web1 = stack.Http("web1");
        using var hog = CpuHog.Start();
        var load = new ClientLoad(web1, "", clients: 4, read: Release);
        var deploy = await stack.HoistAsync("deploy", "-m", "broken");
        var result = await load.StopAsync();
        await load.DisposeAsync();
        output.WriteLine($"{hog}");
        output.WriteLine($"deploy of a release failing /up: exit {deploy.ExitCode}\n{deploy.Stdout}{deploy.Stderr}");
        output.WriteLine($"web1 meanwhile: {result}; releases answering: {string.Join(", ", result.Samples.Where(s => s.Ok).Select(s => s.Value).Distinct())}");

        var status = await stack.Testbed.SshAsync("web1", $"runuser -u nobody -- systemctl show -p StatusText --value {SeedStack.Unit}");
        output.WriteLine($"StatusText, as any user reads it: {status.Stdout.Trim()}");
        Assert.NotEqual(0, deploy.ExitCode);
        Assert.Contains("500", deploy.Stdout + deploy.Stderr, StringComparison.Ordinal);
        Assert.Contains("broken on purpose", deploy.Stdout + deploy.Stderr, StringComparison.Ordinal);
        Assert.Contains("[REDACTED]", deploy.Stdout + deploy.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(password, deploy.Stdout + deploy.Stderr + status.Stdout, StringComparison.Ordinal);
        Assert.Contains("failed its health check", status.Stdout, StringComparison.Ordinal);
        Assert.Empty(result.Failures);
        Assert.Equal([goodRelease], result.Samples.Where(s => s.Ok).Select(s => s.Value).Distinct());
        foreach (var web in stack.WebHosts)
        {
            using var http = stack.Http(web);
            Assert.Equal(goodRelease, Release(await http.GetStringAsync("")));
        }

        // The fix goes out as usual.
        await stack.CommitAsync("the health check fixed", (Init, original));
        var fixedDeploy = await stack.HoistAsync("deploy", "-m", "fixed");
        Assert.True(fixedDeploy.ExitCode == 0, fixedDeploy.ToString());
    }

    [Fact]
    public async Task Deploy_Whose_Up_Fails_On_Web2_Only_Puts_Web1_Back_Under_Load_On_Both_And_Through_Lb1_With_No_Failed_Request()
    {
        var good = await stack.WaitForPageAsync("web1", TimeSpan.FromSeconds(30));
        var goodRelease = Release(good.Page);
        await stack.WaitForPageAsync("web2", TimeSpan.FromSeconds(30));
        const string Init = "myproject/__init__.py";
        var original = stack.Read(Init);
        const string Up = "    def up():\n";
        Assert.Contains(Up, original, StringComparison.Ordinal);
        // The app reads the host's name: web2's new workers fail /up, web1's pass it and take requests.
        await stack.CommitAsync("/up fails on web2", (Init, original.Replace(Up, Up +
            "        if os.uname().nodename.endswith('web2'):\n            return \"broken on web2 only\\n\", 500\n", StringComparison.Ordinal)));
        using var web1 = stack.Http("web1");
        using var web2 = stack.Http("web2");
        using var lb1 = stack.Http("lb1");
        using var hog = CpuHog.Start();
        var loads = new[]
        {
            new ClientLoad(web1, "", clients: 4, read: Release),
            new ClientLoad(web2, "", clients: 4, read: Release),
            new ClientLoad(lb1, "", clients: 4, read: Release),
        };
        var deploy = await stack.HoistAsync("deploy", "-m", "fails on web2");
        var returned = ClientLoad.Now;
        var results = new List<LoadResult>();
        // Each load runs on past hoist's return (8 more requests each), so what they get then is seen.
        await Task.WhenAll(loads.Select(l => l.RunsOnAsync(8)));
        foreach (var load in loads)
        {
            results.Add(await load.StopAsync());
            await load.DisposeAsync();
        }

        var all = deploy.Stdout + deploy.Stderr;
        output.WriteLine($"{hog}");
        output.WriteLine($"deploy of a release failing /up on web2: exit {deploy.ExitCode}\n{all}");
        output.WriteLine($"web1 meanwhile: {results[0]}; releases answering: {string.Join(", ", results[0].Samples.Where(s => s.Ok).Select(s => s.Value).Distinct())}");
        output.WriteLine($"web2 meanwhile: {results[1]}; releases answering: {string.Join(", ", results[1].Samples.Where(s => s.Ok).Select(s => s.Value).Distinct())}");
        output.WriteLine($"lb1 meanwhile: {results[2]}; releases answering: {string.Join(", ", results[2].Samples.Where(s => s.Ok).Select(s => s.Value).Distinct())}");
        var back = Regex.Match(all, @"fleet rollback: (\d+) of (\d+) hosts back in (\d+\.\d+) s from the decision");
        output.WriteLine($"time from the decision to all back: {back.Groups[3].Value} s");
        Assert.Equal(1, deploy.ExitCode);
        Assert.Matches($@"error: the deploy failed on {Regex.Escape(stack.Address("web2"))}[^;]*; every host was put back where it was", deploy.Stderr);
        Assert.Contains("/up answered 500", all, StringComparison.Ordinal);
        Assert.True(back.Success && back.Groups[1].Value == "2", "no fleet rollback line: " + all);
        Assert.All(results, r => Assert.Empty(r.Failures));
        Assert.All(results, r => Assert.True(r.Total > 20, $"only {r.Total} requests"));
        foreach (var web in stack.WebHosts)
        {
            using var http = stack.Http(web);
            Assert.Equal(goodRelease, Release(await http.GetStringAsync("")));
            var state = await stack.Testbed.SshAsync(web, $"readlink {SeedStack.DeployTo}/current; ls {SeedStack.DeployTo}/releases/*/.hoist-bad; test ! -e {SeedStack.DeployTo}/.hoist/lock && echo unlocked");
            output.WriteLine($"{web}: {state.Stdout.Trim()}");
            Assert.Contains("releases/" + goodRelease, state.Stdout, StringComparison.Ordinal);
            Assert.Contains("unlocked", state.Stdout, StringComparison.Ordinal);
        }

        // web1's new workers were live for a moment; once hoist has returned, no request (direct or through lb1)
        // gets the failed release, and web2 never served it.
        var afterwards = results.Select(r => r.Samples.Where(s => s.Ok && s.Start > returned).ToList()).ToList();
        output.WriteLine("requests started after hoist returned: " + string.Join(", ", afterwards.Select((a, i) => $"{new[] { "web1", "web2", "lb1" }[i]} {a.Count} " +
            $"({string.Join(" ", a.GroupBy(s => s.Value).Select(g => $"{g.Key}×{g.Count()}"))})")));
        Assert.All(afterwards, a => Assert.All(a, s => Assert.Equal(goodRelease, s.Value)));
        Assert.Equal([goodRelease], results[1].Samples.Where(s => s.Ok).Select(s => s.Value).Distinct());
        await stack.CommitAsync("/up fixed", (Init, original));
        var fixedDeploy = await stack.HoistAsync("deploy", "-m", "fixed");
        Assert.True(fixedDeploy.ExitCode == 0, fixedDeploy.ToString());
    }

    /// <summary>
    /// web2's SSH session is killed (from inside web2) once its current has moved and while its reload and health gate
    /// run: web1 goes back, web2 is named with what to run, and `hoist releases` shows web2's current as never committed.
    /// </summary>
    [Fact]
    public async Task Connection_Lost_To_Web2_After_Its_Switch_Puts_Web1_Back_Names_Web2_And_Releases_Shows_Its_State()
    {
        var good = Release((await stack.WaitForPageAsync("web1", TimeSpan.FromSeconds(30))).Page);
        await stack.CommitAsync("a release whose gate is cut on web2", ("CUT", "1\n"));
        var watch = Stopwatch.StartNew();
        var deploy = stack.HoistAsync("deploy", "-m", "cut on web2");
        // Bounded: polls web2 until its current leaves the good release, then kills the sshd sessions running hoist's scripts.
        var cut = await stack.Testbed.SshAsync("web2",
            $"for i in $(seq 600); do c=$(readlink {SeedStack.DeployTo}/current); if [ \"$c\" != releases/{good} ]; then " +
            "for p in $(pgrep -x bash); do if [ \"$(tr '\\0' ' ' < /proc/$p/cmdline)\" = 'bash -s ' ]; then kill -9 \"$(ps -o ppid= -p $p)\"; fi; done; " +
            "echo \"cut after $i polls, current $c\"; exit 0; fi; sleep 0.05; done; echo 'never switched'; exit 1", TimeSpan.FromSeconds(90));
        var result = await deploy;
        var all = result.Stdout + result.Stderr;
        output.WriteLine($"{cut.Stdout.Trim()}; deploy exit {result.ExitCode} in {watch.Elapsed.TotalSeconds:0.0} s\n{all}");
        Assert.True(cut.ExitCode == 0, cut.ToString());
        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"hoist lock release --force --host {stack.Address("web2")}", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("every other host was put back", result.Stderr, StringComparison.Ordinal);
        using (var web1 = stack.Http("web1"))
        {
            Assert.Equal(good, Release(await web1.GetStringAsync("")));
        }

        var releases = await stack.HoistAsync("releases");
        output.WriteLine(releases.ToString());
        Assert.Contains("(switched by a deploy or rollback that has not committed", releases.Stdout, StringComparison.Ordinal);

        // Leave the stack as the other tests expect it: unlocked, every host on a good, committed release.
        var unlock = await stack.HoistAsync("lock", "release", "--force");
        Assert.True(unlock.ExitCode == 0, unlock.ToString());
        var again = await stack.HoistAsync("deploy", "-m", "after the cut");
        output.WriteLine($"deploy after the cut: exit {again.ExitCode}");
        Assert.True(again.ExitCode == 0, again.ToString());
    }

    /// <summary>
    /// A rollback goes through the gate: onto a release whose /up fails on web2 (made by a deploy that was reverted),
    /// web1 switches and passes, web2 fails, and both are put back on the release they served; lock released.
    /// </summary>
    [Fact]
    public async Task Rollback_Onto_A_Release_Failing_Its_Health_Check_On_Web2_Leaves_Every_Host_Where_It_Was()
    {
        var good = Release((await stack.WaitForPageAsync("web1", TimeSpan.FromSeconds(30))).Page);
        await stack.WaitForPageAsync("web2", TimeSpan.FromSeconds(30));
        const string Init = "myproject/__init__.py";
        var original = stack.Read(Init);
        const string Up = "    def up():\n";
        await stack.CommitAsync("/up fails on web2 (for a rollback onto it)", (Init, original.Replace(Up, Up +
            "        if os.uname().nodename.endswith('web2'):\n            return \"broken on web2 only\\n\", 500\n", StringComparison.Ordinal)));
        var watch = Stopwatch.StartNew();
        var deploy = await stack.HoistAsync("deploy", "-m", "fails on web2, to roll back onto");
        output.WriteLine($"deploy of the release failing on web2: exit {deploy.ExitCode} in {watch.Elapsed.TotalSeconds:0.0} s");
        Assert.Equal(1, deploy.ExitCode);
        var broken = (await stack.Testbed.SshAsync("web1", $"ls {SeedStack.DeployTo}/releases | tail -n 1")).Stdout.Trim();
        Assert.NotEqual(good, broken);
        await stack.CommitAsync("/up fixed", (Init, original));

        watch.Restart();
        var rollback = await stack.HoistAsync("rollback", broken);
        var took = watch.Elapsed;

        var all = rollback.Stdout + rollback.Stderr;
        output.WriteLine($"rollback onto {broken} (fails /up on web2): exit {rollback.ExitCode} in {took.TotalSeconds:0.0} s\n{all}");
        var back = Regex.Match(all, @"fleet rollback: (\d+) of (\d+) hosts back in (\d+\.\d+) s from the decision");
        output.WriteLine($"time from the decision to all back: {back.Groups[3].Value} s");
        Assert.Equal(1, rollback.ExitCode);
        Assert.Matches($@"error: the rollback failed on {Regex.Escape(stack.Address("web2"))}[^;]*; every host was put back where it was", rollback.Stderr);
        foreach (var web in stack.WebHosts)
        {
            using var http = stack.Http(web);
            var serving = Release(await http.GetStringAsync(""));
            var state = await stack.Testbed.SshAsync(web, $"readlink {SeedStack.DeployTo}/current; test ! -e {SeedStack.DeployTo}/.hoist/lock && echo unlocked");
            output.WriteLine($"{web}: serving {serving}; {state.Stdout.Trim().Replace('\n', ' ')}");
            Assert.Equal(good, serving);
            Assert.Contains("releases/" + good, state.Stdout, StringComparison.Ordinal);
            Assert.Contains("unlocked", state.Stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Flask_Example_Behind_Lb1_Deploys_A_Canary_Then_Batch_1_Under_Load_Through_Lb1_With_No_Failed_Request()
    {
        var watch = Stopwatch.StartNew();
        await stack.CommitAsync("a release for the canary", ("CANARY.txt", "deployed behind lb1 with a canary, then batch 1\n"));
        var yaml = File.ReadAllText(stack.Dir.Combine("hoist.yml"));
        stack.Dir.Write("hoist.yml", yaml.Replace("  health_timeout: 20\n", "  health_timeout: 20\n  canary: 1\n", StringComparison.Ordinal));
        RunResult deploy;
        LoadResult result;
        string hogText;
        try
        {
            using var lb = stack.Http("lb1");
            using var hog = CpuHog.Start();
            await using var load = new ClientLoad(lb, "", clients: 8, read: Release);
            await load.RunsOnAsync(50);
            deploy = await stack.HoistAsync("deploy", "--batch", "1", "-m", "canary then batch 1 behind lb1");
            await load.RunsOnAsync(100);
            result = await load.StopAsync();
            hogText = hog.ToString();
        }
        finally
        {
            stack.Dir.Write("hoist.yml", yaml);
        }

        var all = deploy.Stdout + deploy.Stderr;
        var releases = result.Samples.Where(s => s.Ok).Select(s => s.Value).Distinct().ToList();
        output.WriteLine($"deploy of examples/flask behind lb1 (canary: 1, --batch 1): exit {deploy.ExitCode} in {watch.Elapsed.TotalSeconds:F1} s; {hogText}");
        output.WriteLine(string.Join('\n', all.Split('\n').Where(l => l.Contains("deploy: ", StringComparison.Ordinal) || l.Contains("lb: ", StringComparison.Ordinal) || l.Contains("is live", StringComparison.Ordinal))));
        output.WriteLine($"load through lb1: {result}; releases answering, in order: {string.Join(" -> ", releases)}");
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        var canary = all.IndexOf($"deploy: canary ({stack.Address("web1")})", StringComparison.Ordinal);
        Assert.True(canary >= 0 && all.IndexOf($"deploy: batch 2 of 2 ({stack.Address("web2")})", StringComparison.Ordinal) > canary, all);
        Assert.True(releases.Count >= 2, "the load saw no new release: " + string.Join(", ", releases));
        Assert.Empty(result.Failures);
    }

    [Fact]
    public async Task Setup_Again_Changes_Nothing_Keeps_The_MainPid_And_A_Rotated_Password_Works_On_Both_Web_Hosts_And_The_Old_Is_Refused()
    {
        var pids = await Task.WhenAll(stack.WebHosts.Select(stack.MainPidAsync));
        var again = await stack.HoistAsync("setup");
        var after = await Task.WhenAll(stack.WebHosts.Select(stack.MainPidAsync));
        output.WriteLine($"setup again: exit {again.ExitCode}\n{Lines(again, "] ok:", "changed", "FAILED")}\nMainPID before {string.Join(", ", pids)}, after {string.Join(", ", after)}");
        Assert.True(again.ExitCode == 0, again.ToString());
        foreach (var host in new[] { "web1", "web2", "db1" })
        {
            Assert.Contains($"[{stack.Address(host)}] ok: 0 changed", again.Stdout, StringComparison.Ordinal);
        }

        Assert.Equal(pids, after);

        foreach (var web in stack.WebHosts)
        {
            Assert.Equal(0, (await stack.Testbed.SshAsync(web, $"cp {SeedStack.DeployTo}/shared/.env /root/old.env")).ExitCode);
        }

        var rotated = await stack.HoistAsync("setup", "--rotate-db-password");
        output.WriteLine($"setup --rotate-db-password: exit {rotated.ExitCode}\n{Lines(rotated, "changed", "FAILED")}");
        Assert.True(rotated.ExitCode == 0, rotated.ToString());
        foreach (var web in stack.WebHosts)
        {
            var (page, _) = await stack.WaitForPageAsync(web, TimeSpan.FromSeconds(30));
            var fresh = await ConnectFromAsync(web, $"{SeedStack.DeployTo}/shared/.env");
            var old = await ConnectFromAsync(web, "/root/old.env");
            output.WriteLine($"{web}: page visit-{Visit(page)}; new password: exit {fresh.ExitCode}; old password: {old.Stderr.Trim().Split('\n').LastOrDefault()}");
            Assert.True(fresh.ExitCode == 0, fresh.ToString());
            Assert.Contains("password authentication failed", old.Stderr, StringComparison.Ordinal);
        }
    }

    /// <summary>Connects to db1 as the app role from a web host, with the DATABASE_URL of an env file on that host.</summary>
    private Task<RunResult> ConnectFromAsync(string host, string envFile) =>
        stack.Testbed.SshAsync(host, $"set -a; . {envFile}; set +a; python3 -c 'import os, psycopg2; psycopg2.connect(os.environ[\"DATABASE_URL\"], connect_timeout=5).close()'");

    /// <summary>Reboots a host and waits (bounded) until it answers SSH with a new boot id and systemd has finished booting.</summary>
    private async Task<TimeSpan> RebootAsync(string host)
    {
        var bootId = (await stack.Testbed.SshAsync(host, "cat /proc/sys/kernel/random/boot_id")).Stdout.Trim();
        var watch = Stopwatch.StartNew();
        await stack.Testbed.SshAsync(host, "systemctl reboot");
        while (watch.Elapsed < TimeSpan.FromSeconds(90))
        {
            var now = await stack.Testbed.SshAsync(host, "cat /proc/sys/kernel/random/boot_id; systemctl is-system-running --wait", TimeSpan.FromSeconds(60));
            if (now.Stdout.Split('\n') is [var id, var state, ..] && id != bootId)
            {
                Assert.Equal("running", state);
                return watch.Elapsed;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{host} did not come back within 90 s of systemctl reboot");
    }

    private static string Lines(RunResult result, params string[] words) =>
        string.Join('\n', (result.Stdout + result.Stderr).Split('\n').Where(l => words.Any(w => l.Contains(w, StringComparison.Ordinal))));

    private static int Visit(string page) =>
        VisitIds().Matches(page).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).DefaultIfEmpty(0).Max();

    private static string Release(string page) =>
        ReleaseId().Match(page) is { Success: true } m ? m.Groups[1].Value : throw new InvalidDataException("no release on the page");

    [GeneratedRegex("id=\"visit-(\\d+)\"")]
    private static partial Regex VisitIds();

    [GeneratedRegex("<dd id=\"release\">([^<]+)</dd>")]
    private static partial Regex ReleaseId();
}
