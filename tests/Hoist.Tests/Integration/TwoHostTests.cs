namespace Hoist.Tests.Integration;

using System.Diagnostics;
using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>Two real sshd hosts at once (each with its own home folder): exec and deploy run on both in parallel.</summary>
public sealed class TwoHostTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TempDir dir = new();
    private TestSshd one = null!;
    private TestSshd two = null!;

    public async Task InitializeAsync()
    {
        (one, two) = await TestSshd.StartPairAsync();
    }

    public async Task DisposeAsync()
    {
        await one.DisposeAsync();
        await two.DisposeAsync();
        dir.Dispose();
    }

    [Fact]
    public async Task Runs_On_Both_Hosts_With_Output_Prefixed_By_Host()
    {
        var project = Project.Create(dir, one, "upload: .", "env: { GREETING: hello }", hosts: $"{one.Address}, {two.Address}");

        var result = await project.HoistAsync("exec", "--", "echo $GREETING from $SSH_CONNECTION");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches($@"\[127\.0\.0\.1:{one.Port}\] hello from \S+ \d+ 127\.0\.0\.1 {one.Port}", result.Stdout);
        Assert.Matches($@"\[127\.0\.0\.1:{two.Port}\] hello from \S+ \d+ 127\.0\.0\.1 {two.Port}", result.Stdout);
    }

    [Fact]
    public async Task Fails_When_Any_Host_Fails_And_Names_It()
    {
        var project = Project.Create(dir, one, "upload: .", hosts: $"{one.Address}, {two.Address}");

        var result = await project.HoistAsync("exec", "--", $"test \"${{SSH_CONNECTION##* }}\" != {two.Port}");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"the command failed on 1 of 2 host(s): 127.0.0.1:{two.Port} (exit 1)", result.Stderr);
    }

    [Fact]
    public async Task Deploy_Switches_Every_Host_Or_None()
    {
        var repo = await Repo.CreateAsync(dir);
        var v1 = await repo.CommitAsync("v1", ("index.html", "v1"));
        var project = Project.Create(dir, one, $"repo: {repo.Bare}", $"build: [\"test ! -e fail-on-two || test \\\"$HOME\\\" != {two.Home}\"]",
            hosts: $"{one.Address}, {two.Address}", deployTo: "~/app");

        var deploy = await project.HoistAsync("deploy");

        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        foreach (var home in new[] { one.Home, two.Home })
        {
            Assert.Equal(v1 + "\n", File.ReadAllText(Path.Combine(home, "app", "current", "REVISION")));
        }

        Assert.Contains($"[127.0.0.1:{one.Port}] ok: release", deploy.Stdout);
        Assert.Contains($"[127.0.0.1:{two.Port}] ok: release", deploy.Stdout);
        var live = Directory.GetDirectories(Path.Combine(one.Home, "app", "releases"));

        await repo.CommitAsync("v2", ("index.html", "v2"), ("fail-on-two", ""));
        var failed = await project.HoistAsync("deploy");

        Assert.Equal(1, failed.ExitCode);
        Assert.Contains($"127.0.0.1:{two.Port}: step 'build: test ! -e fail-on-two", failed.Stderr);
        Assert.Contains("current is unchanged on every host", failed.Stderr);
        foreach (var home in new[] { one.Home, two.Home })
        {
            Assert.Equal(v1 + "\n", File.ReadAllText(Path.Combine(home, "app", "current", "REVISION")));
            Assert.Equal("v1", File.ReadAllText(Path.Combine(home, "app", "current", "index.html")));
            Assert.False(Directory.Exists(Path.Combine(home, "app", ".hoist", "lock")));
        }

        // Host one built v2 fine, but it never went live and its unfinished release is gone.
        Assert.Equal(live, Directory.GetDirectories(Path.Combine(one.Home, "app", "releases")));
    }

    [Fact]
    public async Task Host_Filter_Runs_On_One_Host()
    {
        var project = Project.Create(dir, one, "upload: .", hosts: $"{one.Address}, {two.Address}");

        var result = await project.HoistAsync("exec", "--host", two.Address, "--", "echo ran");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal($"[127.0.0.1:{two.Port}] ran", result.Stdout.Trim());
    }

    [Fact]
    public async Task Racing_Deploys_Of_Two_Hosts_Exactly_One_Wins_And_No_Lock_Is_Left()
    {
        const int Trials = 10;
        var repo = await Repo.CreateAsync(dir);
        await repo.CommitAsync("v1", ("index.html", "v1"));
        var outcomes = new List<string>();
        var bothFailed = 0;
        var wrong = 0;
        for (var trial = 0; trial < Trials; trial++)
        {
            // The winner waits in its build until the loser has ended, so the loser always meets a held lock.
            var gate = new BuildGate(dir, $"race-{trial}");
            var project = Project.Create(dir, one, $"repo: {repo.Bare}", $"build: [\"{gate.Step}\"]",
                hosts: $"{one.Address}, {two.Address}", deployTo: "~/app");
            // The same two hosts, listed the other way round: each deploy reaches its first-listed host first.
            var reversed = File.ReadAllText(project.ConfigPath).Replace($"[{one.Address}, {two.Address}]", $"[{two.Address}, {one.Address}]", StringComparison.Ordinal);
            dir.Write("reversed.yml", reversed);
            var clock = Stopwatch.StartNew();
            var deploys = new[] { project.HoistAsync("deploy", "-m", $"a{trial}"), project.HoistAsync("-c", "reversed.yml", "deploy", "-m", $"b{trial}") };
            await WaitLoserOrCrossedLocksAsync(deploys);
            gate.Open();
            var results = await Task.WhenAll(deploys).WaitAsync(TimeSpan.FromSeconds(120));

            var locks = new[] { one.Home, two.Home }.Count(h => Directory.Exists(Path.Combine(h, "app", ".hoist", "lock")));
            bothFailed += results.All(r => r.ExitCode != 0) ? 1 : 0;
            outcomes.Add($"trial {trial}: exits {results[0].ExitCode}, {results[1].ExitCode} in {clock.ElapsedMilliseconds} ms, locks left {locks}");
            output.WriteLine(outcomes[^1]);
            foreach (var failed in results.Where(r => r.ExitCode != 0))
            {
                output.WriteLine("  " + failed.Stderr.Trim().Replace("\n", "\n  ", StringComparison.Ordinal));
            }

            var held = new System.Text.RegularExpressions.Regex($@"deploy is locked by \S+@\S+ \(pid \d+\) since \S+: deploy: [ab]{trial}");
            var right = results.Count(r => r.ExitCode == 0) == 1 && results.Count(r => r.ExitCode == 75 && held.IsMatch(r.Stderr)) == 1 && locks == 0;
            wrong += right ? 0 : 1;
            // Only a deploy that got through leaves the next trial a lock-free start; a left lock is cleared for it.
            if (locks > 0)
            {
                Assert.Equal(0, (await project.HoistAsync("lock", "release", "--force")).ExitCode);
            }
        }

        output.WriteLine($"{Trials} trials: {wrong} not exactly one winner with a held-lock loser and no lock left; both failed in {bothFailed}");
        Assert.True(wrong == 0, string.Join('\n', outcomes));
    }

    /// <summary>
    /// Until a deploy ended (the loser, which met a held lock), or each host's lock is held by a different deploy: then
    /// both wait in their build on the host they got, for the other host's failure to be cleaned up after it.
    /// </summary>
    private async Task WaitLoserOrCrossedLocksAsync(Task[] deploys)
    {
        var clock = Stopwatch.StartNew();
        string Holder(TestSshd host)
        {
            try
            {
                return File.ReadAllText(Path.Combine(host.Home, "app", ".hoist", "lock", "info")).Trim();
            }
            catch (IOException)
            {
                return "";
            }
        }

        while (!deploys.Any(d => d.IsCompleted))
        {
            var (first, second) = (Holder(one), Holder(two));
            if (first.Length > 0 && second.Length > 0 && first != second)
            {
                output.WriteLine($"  crossed: {one.Address} locked by {first}; {two.Address} locked by {second}");
                return;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(120), "neither deploy ended, and the locks did not cross, within 120 s");
            await Task.Delay(20);
        }
    }
}
