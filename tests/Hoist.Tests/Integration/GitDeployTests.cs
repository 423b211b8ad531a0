namespace Hoist.Tests.Integration;

using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>Deploys from a git repository to a real sshd on 127.0.0.1: the release cycle end to end.</summary>
public sealed class GitDeployTests(ITestOutputHelper output) : SshdTest
{
    private Repo repo = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        repo = await Repo.CreateAsync(Dir);
    }

    [Fact]
    public async Task FirstDeploy_SecondDeploy_Rollback_OverRealSsh()
    {
        var first = await repo.CommitAsync("v1", ("index.html", "version 1\n"));
        var project = Project.Create(Dir, Sshd, $"repo: {repo.Bare}\nbranch: main",
            "shared: [media, .env]\nbuild: [\"echo built-$HOIST_REVISION > build.txt\"]\nreload: touch shared/reloaded");

        var deploy1 = await project.HoistAsync("deploy");
        Assert.True(deploy1.ExitCode == 0, deploy1.ToString());
        Assert.Equal("version 1\n", project.ReadCurrent("index.html"));
        Assert.Equal(first + "\n", project.ReadCurrent("REVISION"));
        Assert.Equal($"built-{first}\n", project.ReadCurrent("build.txt"));
        Assert.Equal(Path.Combine(project.DeployTo, "shared", "media"), new DirectoryInfo(Path.Combine(project.DeployTo, "current", "media")).LinkTarget);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(project.DeployTo, "shared", ".env")));
        Assert.True(File.Exists(Path.Combine(project.DeployTo, "shared", "reloaded")));
        Assert.False(Directory.Exists(Path.Combine(project.DeployTo, ".hoist", "lock")));
        var release1 = project.Current();

        var second = await repo.CommitAsync("v2", ("index.html", "version 2\n"));
        var deploy2 = await project.HoistAsync("deploy");
        Assert.True(deploy2.ExitCode == 0, deploy2.ToString());
        Assert.Equal("version 2\n", project.ReadCurrent("index.html"));
        Assert.Equal(second + "\n", project.ReadCurrent("REVISION"));
        var release2 = project.Current();
        Assert.NotEqual(release1, release2);
        Assert.Equal([release1, release2], project.Releases());

        var rollback = await project.HoistAsync("rollback");
        Assert.True(rollback.ExitCode == 0, rollback.ToString());
        Assert.Equal(release1, project.Current());
        Assert.Equal("version 1\n", project.ReadCurrent("index.html"));
        Assert.True(File.Exists(Path.Combine(project.DeployTo, "releases", release2, ".hoist-bad")));

        var releases = await project.HoistAsync("releases");
        Assert.True(releases.ExitCode == 0, releases.ToString());
        Assert.Contains($"* {release1}  {first[..12]}  current", releases.Stdout);
        Assert.Contains($"  {release2}  {second[..12]}  bad", releases.Stdout);

        // Nothing good before the first release: refused, and nothing changes.
        var again = await project.HoistAsync("rollback");
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("no good release before", again.Stderr);
        Assert.Equal(release1, project.Current());

        // Rolling forward by name clears the bad mark.
        var forward = await project.HoistAsync("rollback", release2);
        Assert.True(forward.ExitCode == 0, forward.ToString());
        Assert.Equal(release2, project.Current());
        Assert.False(File.Exists(Path.Combine(project.DeployTo, "releases", release2, ".hoist-bad")));

        var audit = await File.ReadAllLinesAsync(Path.Combine(project.DeployTo, ".hoist", "audit.log"));
        Assert.Equal(["deploy", "deploy", "rollback", "rollback"], audit.Select(l => l.Split(' ')[2]));
    }

    [Fact]
    public async Task Prunes_To_KeepReleases_Keeping_Current_And_Previous()
    {
        await repo.CommitAsync("v1", ("index.html", "1"));
        var project = Project.Create(Dir, Sshd, $"repo: {repo.Bare}", "keep_releases: 2");
        var seen = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            await repo.CommitAsync($"v{i + 2}", ("index.html", $"{i + 2}"));
            var result = await project.HoistAsync("deploy");
            Assert.True(result.ExitCode == 0, result.ToString());
            seen.Add(project.Current());
        }

        Assert.Equal(seen.TakeLast(2), project.Releases());
        Assert.Equal("5", project.ReadCurrent("index.html"));
    }

    [Fact]
    public async Task NoOp_Redeploy_Opens_At_Most_Four_Exec_Channels()
    {
        await repo.CommitAsync("v1", ("index.html", "1"));
        var project = Project.Create(Dir, Sshd, $"repo: {repo.Bare}", "shared: [media, .env]\nbuild: [\"true\"]\nreload: \"true\"");
        Assert.Equal(0, (await project.HoistAsync("deploy")).ExitCode);
        var before = Sshd.ExecChannels();

        var redeploy = await project.HoistAsync("deploy");

        Assert.True(redeploy.ExitCode == 0, redeploy.ToString());
        var channels = Sshd.ExecChannels() - before;
        Assert.InRange(channels, 1, 4);
    }

    [Fact]
    public async Task Failing_Build_Leaves_Current_Untouched_And_Lock_Released()
    {
        await repo.CommitAsync("v1", ("index.html", "good"));
        var project = Project.Create(Dir, Sshd, $"repo: {repo.Bare}", "build: [\"test ! -e broken || { echo compile error >&2; exit 3; }\"]");
        Assert.Equal(0, (await project.HoistAsync("deploy")).ExitCode);
        var live = project.Current();

        await repo.CommitAsync("broken", ("broken", "x"), ("index.html", "bad"));
        var failed = await project.HoistAsync("deploy");

        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("compile error", failed.All);
        Assert.Contains("step 'build: test ! -e broken", failed.Stderr);
        Assert.Contains("current is unchanged", failed.Stderr);
        Assert.Equal(live, project.Current());
        Assert.Equal("good", project.ReadCurrent("index.html"));
        Assert.Equal([live], project.Releases());
        Assert.False(Directory.Exists(Path.Combine(project.DeployTo, ".hoist", "lock")));
    }

    [Fact]
    public async Task Concurrent_Deploys_Exactly_One_Proceeds_The_Other_Names_The_Holder()
    {
        await repo.CommitAsync("v1", ("index.html", "1"));
        // Whichever takes the lock waits in its build until the other has ended: however late the second starts on a
        // loaded machine, the first still holds the lock when it comes.
        var gate = new BuildGate(Dir);
        var project = Project.Create(Dir, Sshd, $"repo: {repo.Bare}", $"build: [\"{gate.Step}\"]");

        var deploys = new[] { project.HoistAsync("deploy", "-m", "first"), project.HoistAsync("deploy", "-m", "second") };
        await gate.WaitStartedAsync();
        var ended = await Task.WhenAny(deploys).WaitAsync(TimeSpan.FromSeconds(120));
        gate.Open();
        var results = await Task.WhenAll(deploys);

        output.WriteLine($"first to end: exit {(await ended).ExitCode} (the other was held in its build until then); exits: {string.Join(", ", results.Select(r => r.ExitCode))}");
        Assert.NotEqual(0, (await ended).ExitCode);

        Assert.Single(results, r => r.ExitCode == 0);
        var loser = Assert.Single(results, r => r.ExitCode != 0);
        Assert.Equal(75, loser.ExitCode);
        Assert.Matches(@"deploy is locked by \S+@\S+ \(pid \d+\) since \S+: deploy: (first|second)", loser.Stderr);
        Assert.Contains("hoist lock release --force", loser.Stderr);
        Assert.Single(project.Releases());
        Assert.False(Directory.Exists(Path.Combine(project.DeployTo, ".hoist", "lock")));
    }

    [Fact]
    public async Task Fetch_Local_Reads_A_Path_Here_Sends_Its_Committed_Branch_And_Without_Git_Here_Changes_Nothing()
    {
        var first = await repo.CommitAsync("v1", ("index.html", "committed\n"));
        await File.WriteAllTextAsync(Path.Combine(repo.Work, "index.html"), "not committed\n");
        await File.WriteAllTextAsync(Path.Combine(repo.Work, "scratch.txt"), "untracked\n");
        var project = Project.Create(Dir, Sshd, $"repo: {Path.GetFileName(repo.Work)}\nfetch: local");

        var deploy = await project.HoistAsync("deploy");

        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        Assert.Contains($"fetch: local: main of {repo.Work} is {first} (1 file, 10 B), sent as one tar", deploy.Stdout);
        Assert.Equal(first + "\n", project.ReadCurrent("REVISION"));
        Assert.Equal("committed\n", project.ReadCurrent("index.html"));
        Assert.False(File.Exists(Path.Combine(project.DeployTo, "current", "scratch.txt")));
        var live = project.Current();

        // No git on this machine's PATH (only dotnet, to run hoist): a clear error before any host is reached.
        var bin = Dir.Combine("bin-without-git");
        Directory.CreateDirectory(bin);
        File.CreateSymbolicLink(Path.Combine(bin, "dotnet"), (await Run.ShellAsync("readlink -f \"$(command -v dotnet)\"")).Trim());
        await repo.CommitAsync("v2", ("index.html", "v2\n"));
        var channels = Sshd.ExecChannels();
        var noGit = await project.HoistAsync(new Dictionary<string, string> { ["PATH"] = bin }, "deploy");

        Assert.Equal(1, noGit.ExitCode);
        Assert.Contains("error: fetch: local runs git on this machine, and git could not be started here (", noGit.Stderr);
        Assert.Contains("install it (Debian: apt-get install git) or put it on PATH, or use fetch: host", noGit.Stderr);
        Assert.Equal(live, project.Current());
        Assert.Equal([live], project.Releases());
        Assert.Equal(channels, Sshd.ExecChannels());
    }

    [Fact]
    public async Task Unknown_Branch_Is_A_Clear_Error()
    {
        await repo.CommitAsync("v1", ("index.html", "1"));
        var project = Project.Create(Dir, Sshd, $"repo: {repo.Bare}\nbranch: nope");

        var result = await project.HoistAsync("deploy");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("branch 'nope' was not found in " + repo.Bare, result.All);
        Assert.Empty(project.Releases());
    }
}
