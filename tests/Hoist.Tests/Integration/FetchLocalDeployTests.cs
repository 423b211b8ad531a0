namespace Hoist.Tests.Integration;

using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// fetch: local against a host that cannot reach the repository: a git daemon on this machine's 127.0.0.1, and web1 a
/// network namespace (its own loopback, no route out) with its own sshd. This machine's git fetches the branch and
/// hoist streams the commit to the host, over real SSH.
/// </summary>
[Collection(TestbedCollection.Name)]
public sealed class FetchLocalDeployTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_Repository_Only_This_Machine_Reaches_Is_Deployed_Twice_And_A_Bad_Branch_Or_Url_Leaves_The_Host_Untouched()
    {
        using var dir = new TempDir("hoist-fetch-local");
        var repo = await Repo.CreateAsync(dir, "private");
        var v1 = await repo.CommitAsync("v1", ("index.html", "version 1\n"));
        using var daemon = await GitDaemon.StartAsync(dir.Path, "127.0.0.1");
        await using var testbed = await Testbed.StartAsync("web1");
        var url = daemon.Url("private.git");
        var deployTo = dir.Combine("srv", "app");
        var environment = new Dictionary<string, string> { ["XDG_CACHE_HOME"] = dir.Combine("cache") };
        void Write(string branch, string repoUrl) => dir.Write("hoist.yml", $"""
            app: private
            repo: {repoUrl}
            branch: {branch}
            fetch: local
            deploy_to: {deployTo}
            hosts:
              web: [root@{testbed.Address("web1")}]
            ssh: {"{"} key: {testbed.ClientKey}, known_hosts: {testbed.KnownHosts} {"}"}
            build: ["echo built-$HOIST_REVISION > build.txt"]

            """);
        Task<RunResult> Hoist(params string[] args) => HoistCli.RunAsync(dir.Path, environment, args);

        // The host cannot read the repository; this machine can.
        var fromHost = await testbed.ExecAsync("web1", $"git ls-remote {url}");
        var fromHere = await Run.ProcessAsync("git", ["ls-remote", url]);
        output.WriteLine($"web1: git ls-remote {url}: exit {fromHost.ExitCode}: {fromHost.Stderr.Trim()}");
        Assert.NotEqual(0, fromHost.ExitCode);
        Assert.Contains(v1, fromHere.Stdout, StringComparison.Ordinal);

        // A missing branch, then a URL nobody serves: each fails here, before any host is reached.
        Write("nope", url);
        var badBranch = await Hoist("deploy");
        Write("main", "git://127.0.0.1:1/private.git");
        var badUrl = await Hoist("deploy");
        output.WriteLine($"bad branch: exit {badBranch.ExitCode}: {badBranch.Stderr.Trim()}\nbad url: exit {badUrl.ExitCode}: {badUrl.Stderr.Trim()}");
        Assert.Equal(1, badBranch.ExitCode);
        Assert.Contains($"error: branch 'nope' was not found in {url} (read on this machine, fetch: local); push it there, or fix branch: in hoist.yml; nothing was changed on any host", badBranch.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, badUrl.ExitCode);
        Assert.Contains("error: cannot fetch git://127.0.0.1:1/private.git on this machine (fetch: local): ", badUrl.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(deployTo), "a failed local fetch made deploy_to on the host");

        Write("main", url);
        var dry = await Hoist("deploy", "--dry-run");
        var madeByDryRun = Directory.Exists(deployTo);
        var check = await Hoist("check");
        output.WriteLine($"check: exit {check.ExitCode}\n{check.All}\ndry run: {dry.Stdout.Split('\n')[0]}");
        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.Contains($"repo {url}: branch 'main' is {v1[..12]} on this machine (fetch: local; the hosts need no git or access to it)", check.Stdout, StringComparison.Ordinal);
        Assert.True(dry.ExitCode == 0, dry.ToString());
        Assert.Contains($"# fetch: local: main of {url} is {v1} (1 file, 10 B), would be sent as one tar (git archive) to each host", dry.Stdout, StringComparison.Ordinal);
        Assert.Contains($"rev={v1}", dry.Stdout, StringComparison.Ordinal);
        Assert.False(madeByDryRun, "the dry run made deploy_to");

        var first = await Hoist("deploy");
        output.WriteLine($"deploy 1: exit {first.ExitCode}\n{first.Stdout}");
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains($"fetch: local: main of {url} is {v1} (1 file, 10 B), sent as one tar", first.Stdout, StringComparison.Ordinal);
        Assert.Equal(v1 + "\n", await File.ReadAllTextAsync(Path.Combine(deployTo, "current", "REVISION")));
        Assert.Equal("version 1\n", await File.ReadAllTextAsync(Path.Combine(deployTo, "current", "index.html")));
        Assert.Equal($"built-{v1}\n", await File.ReadAllTextAsync(Path.Combine(deployTo, "current", "build.txt")));
        Assert.False(Directory.Exists(Path.Combine(deployTo, "repo")), "the host got a mirror");

        var v2 = await repo.CommitAsync("v2", ("index.html", "version 2\n"), ("lib/util.py", "x = 1\n"));
        var second = await Hoist("deploy");
        output.WriteLine($"deploy 2: exit {second.ExitCode}\n{second.Stdout}");
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(v2 + "\n", await File.ReadAllTextAsync(Path.Combine(deployTo, "current", "REVISION")));
        Assert.Equal("version 2\n", await File.ReadAllTextAsync(Path.Combine(deployTo, "current", "index.html")));
        Assert.Equal("x = 1\n", await File.ReadAllTextAsync(Path.Combine(deployTo, "current", "lib", "util.py")));
        Assert.Equal(2, Directory.GetDirectories(Path.Combine(deployTo, "releases")).Length);
        var audit = await File.ReadAllLinesAsync(Path.Combine(deployTo, ".hoist", "audit.log"));
        Assert.Contains($"revision={v2}", audit[^1], StringComparison.Ordinal);

        // One cache, for the served URL (the unreachable one left none), fetched again by each deploy.
        var cached = Directory.GetDirectories(dir.Combine("cache", "hoist", "repos"));
        Assert.Single(cached);
        var head = await Run.ProcessAsync("git", ["--git-dir", cached[0], "rev-parse", "main"]);
        Assert.Equal(v2, head.Stdout.Trim());
    }
}
