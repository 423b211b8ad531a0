namespace Hoist.Tests.Integration;

using System.Diagnostics;
using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// <c>kill -9</c> of a running <c>hoist deploy</c> at several points: <c>current</c> always points at a complete
/// release, and <c>hoist lock release --force</c> recovers so the next deploy works.
/// </summary>
public sealed class KillTests(ITestOutputHelper output) : SshdTest
{
    private Repo repo = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        repo = await Repo.CreateAsync(Dir);
    }

    [Theory]
    [InlineData("-- fetch", true)]
    [InlineData("-- build: sleep 3.1", true)]
    // After the switch the host's script may still finish by itself and unlock, so the lock may or may not be held.
    [InlineData("-- reload", false)]
    public async Task Kill9_Leaves_A_Complete_Current_And_Lock_Release_Recovers(string killAt, bool surelyLocked)
    {
        // A big file keeps the fetch busy long enough to be killed in it.
        await repo.CommitAsync("v1", ("index.html", "v1"));
        var project = Project.Create(Dir, Sshd, $"repo: {repo.Bare}", "build: [\"sleep 3.1\"]\nreload: sleep 3.2");
        var first = await project.HoistAsync("deploy");
        Assert.True(first.ExitCode == 0, first.ToString());
        await Run.ShellAsync($"head -c 40000000 /dev/urandom > big.bin && git add big.bin && git commit -q -m big && git push -q origin main", repo.Work);
        await repo.CommitAsync("v2", ("index.html", "v2"));

        using var deploy = HoistCli.Start(Dir.Path, "deploy");
        await WaitForLineAsync(deploy, killAt);
        var closed = Sshd.ClosedSessions();
        Process.Start("kill", ["-9", deploy.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
        await deploy.WaitForExitAsync();
        // The host has seen the deploy die (its sshd closed the session); what the host's script does next is its own.
        var killedAt = Stopwatch.StartNew();
        await WaitForAsync(() => Sshd.ClosedSessions() > closed, "sshd to close the killed deploy's session");
        output.WriteLine($"kill -9 at '{killAt}': sshd closed its session {killedAt.ElapsedMilliseconds} ms later");

        AssertCurrentIsComplete(project);
        if (surelyLocked)
        {
            var status = await project.HoistAsync("lock", "status");
            Assert.Contains("locked by", status.Stdout);
            var blocked = await project.HoistAsync("deploy");
            Assert.Equal(75, blocked.ExitCode);
            Assert.Contains("deploy is locked by", blocked.Stderr);
            AssertCurrentIsComplete(project);
        }

        var release = await project.HoistAsync("lock", "release", "--force");
        Assert.True(release.ExitCode == 0, release.ToString());
        Assert.Matches(surelyLocked ? "lock released" : "lock released|not locked", release.Stdout);
        // The forced release stopped what the killed deploy left running on the host (its build's sleep).
        Assert.DoesNotContain(Directory.GetDirectories("/proc"), p => ReadArgv(p) == "sleep 3.1");
        if (!surelyLocked)
        {
            // After the switch the host's script may still be reloading; let it end before deploying again.
            var releasedAt = Stopwatch.StartNew();
            await WaitForAsync(() => !Sshd.RunsScripts(), "the killed deploy's script on the host to end");
            output.WriteLine($"the killed deploy's script on the host ended {releasedAt.ElapsedMilliseconds} ms after the forced lock release");
        }

        var next = await project.HoistAsync("deploy");
        Assert.True(next.ExitCode == 0, next.ToString());
        Assert.Equal("v2", project.ReadCurrent("index.html"));
        AssertCurrentIsComplete(project);
        Assert.All(project.Releases(), r => Assert.True(File.Exists(Path.Combine(project.DeployTo, "releases", r, "REVISION")), $"{r} is incomplete"));
    }

    [Fact]
    public async Task CtrlC_During_Build_Removes_The_Unfinished_Release_And_Releases_The_Lock()
    {
        await repo.CommitAsync("v1", ("index.html", "v1"));
        // Only the second release's build is slow, and its sleep is unmistakable in the process list.
        var project = Project.Create(Dir, Sshd, $"repo: {repo.Bare}", "build: [\"test ! -e .second || sleep 17.25\"]");
        Assert.Equal(0, (await project.HoistAsync("deploy")).ExitCode);
        var live = project.Current();
        await repo.CommitAsync("v2", ("index.html", "v2"), (".second", ""));

        using var deploy = HoistCli.Start(Dir.Path, "deploy");
        await WaitForLineAsync(deploy, "-- build:");
        Process.Start("kill", ["-INT", deploy.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
        await deploy.WaitForExitAsync();

        Assert.Equal(130, deploy.ExitCode);
        Assert.Contains("interrupted", await deploy.StandardError.ReadToEndAsync());
        Assert.Equal(live, project.Current());
        Assert.Equal([live], project.Releases());
        Assert.False(Directory.Exists(Path.Combine(project.DeployTo, ".hoist", "lock")));
        Assert.DoesNotContain(Directory.GetDirectories("/proc"), p => ReadArgv(p) == "sleep 17.25");
    }

    private static string ReadArgv(string proc)
    {
        try
        {
            return File.ReadAllText(Path.Combine(proc, "cmdline")).Replace('\0', ' ').Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    private static void AssertCurrentIsComplete(Project project)
    {
        var current = project.Current();
        Assert.NotEqual("", current);
        Assert.True(File.Exists(Path.Combine(project.DeployTo, "releases", current, "REVISION")), $"current -> {current} has no REVISION");
        Assert.True(File.Exists(Path.Combine(project.DeployTo, "current", "index.html")));
    }

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!condition())
        {
            Assert.False(deadline.IsCancellationRequested, $"waited 60 s for {what}");
            await Task.Delay(20);
        }
    }

    private static async Task WaitForLineAsync(Process process, string text)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var seen = new List<string>();
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            seen.Add(line);
            if (line.Contains(text, StringComparison.Ordinal))
            {
                return;
            }
        }

        Assert.Fail($"hoist ended before printing '{text}': {string.Join('\n', seen)}\n{await process.StandardError.ReadToEndAsync()}");
    }
}
