namespace Hoist.Tests.Integration;

using System.Diagnostics;
using System.Globalization;
using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// A host that stops answering in the middle of a deploy (its per-connection sshd stopped with SIGSTOP, as a frozen
/// machine: the kernel still acknowledges every packet): keep-alives find it, and Ctrl-C or SIGTERM twice always ends
/// hoist at once.
/// </summary>
public sealed class FrozenHostTests(ITestOutputHelper output) : SshdTest
{
    private readonly List<int> stopped = [];
    private Repo repo = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        repo = await Repo.CreateAsync(Dir);
        await repo.CommitAsync("v1", ("index.html", "v1"));
    }

    public override async Task DisposeAsync()
    {
        // Let the stopped session end with the test's sshd rather than stay stopped.
        foreach (var pid in stopped)
        {
            await Run.ProcessAsync("kill", ["-CONT", pid.ToString(CultureInfo.InvariantCulture)]);
        }

        await base.DisposeAsync();
    }

    [Fact]
    public async Task Deploy_Fails_That_Host_Within_The_KeepAlive_Limit_When_It_Stops_Answering()
    {
        await CreateProjectAsync(keepAlive: "keepalive_interval: 1, keepalive_count: 2");
        var deploy = new LiveOutput(HoistCli.Start(Dir.Path, "deploy"));
        try
        {
            await deploy.WaitForLineAsync("-- build:", TimeSpan.FromSeconds(60));
            await FreezeHostAsync();
            var clock = Stopwatch.StartNew();

            var ended = await deploy.WaitForExitAsync(TimeSpan.FromSeconds(40));

            output.WriteLine(ended
                ? $"host frozen mid-build: hoist exited {deploy.Process.ExitCode} {clock.Elapsed.TotalSeconds:0.0} s later (keep-alives every 1 s, 2 allowed)"
                : $"host frozen mid-build: hoist still running {clock.Elapsed.TotalSeconds:0.0} s later");
            output.WriteLine(deploy.ToString());
            Assert.True(ended, $"hoist still waits on the frozen host after 40 s:\n{deploy}");
            Assert.Equal(1, deploy.Process.ExitCode);
            Assert.Contains($"error: 127.0.0.1:{Sshd.Port}: host stopped answering: no reply to 2 keep-alives in 2 s", deploy.Stderr);
            // The lock and the unfinished release stay on the frozen host; the message says how to clear them.
            Assert.Contains("hoist lock release --force", deploy.Stderr);
        }
        finally
        {
            await Run.KillAsync(deploy.Process);
        }
    }

    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task A_Second_Signal_Exits_At_Once_Saying_What_May_Be_Left(string signal)
    {
        // Keep-alives far apart: only the signals can end this deploy soon.
        await CreateProjectAsync(keepAlive: "keepalive_interval: 600");
        var deploy = new LiveOutput(HoistCli.Start(Dir.Path, "deploy"));
        try
        {
            await deploy.WaitForLineAsync("-- build:", TimeSpan.FromSeconds(60));
            await FreezeHostAsync();
            await SignalAsync(deploy.Process, signal);
            await deploy.WaitForLineAsync("interrupted", TimeSpan.FromSeconds(20));
            await SignalAsync(deploy.Process, signal);
            var clock = Stopwatch.StartNew();

            var ended = await deploy.WaitForExitAsync(TimeSpan.FromSeconds(20));

            output.WriteLine(ended
                ? $"second SIG{signal}: hoist exited {deploy.Process.ExitCode} {clock.Elapsed.TotalMilliseconds:0} ms later"
                : $"second SIG{signal}: hoist still running {clock.Elapsed.TotalSeconds:0.0} s later");
            output.WriteLine(deploy.ToString());
            Assert.True(ended, $"hoist still runs 20 s after a second SIG{signal}:\n{deploy}");
            Assert.Equal(130, deploy.Process.ExitCode);
            Assert.Contains($"127.0.0.1:{Sshd.Port}", deploy.Stderr);
            Assert.Contains("hoist lock release --force", deploy.Stderr);
        }
        finally
        {
            await Run.KillAsync(deploy.Process);
        }
    }

    [Fact]
    public async Task One_Signal_With_A_Frozen_Host_Ends_After_A_Bounded_Cleanup_Saying_What_May_Be_Left()
    {
        await CreateProjectAsync(keepAlive: "keepalive_interval: 600");
        var deploy = new LiveOutput(HoistCli.Start(Dir.Path, "deploy"));
        try
        {
            await deploy.WaitForLineAsync("-- build:", TimeSpan.FromSeconds(60));
            await FreezeHostAsync();
            await SignalAsync(deploy.Process, "TERM");
            var clock = Stopwatch.StartNew();

            var ended = await deploy.WaitForExitAsync(TimeSpan.FromSeconds(90));

            output.WriteLine(ended
                ? $"one SIGTERM, host frozen: hoist exited {deploy.Process.ExitCode} {clock.Elapsed.TotalSeconds:0.0} s later"
                : $"one SIGTERM, host frozen: hoist still running {clock.Elapsed.TotalSeconds:0.0} s later");
            output.WriteLine(deploy.ToString());
            Assert.True(ended, $"hoist still runs 90 s after SIGTERM:\n{deploy}");
            Assert.Equal(130, deploy.Process.ExitCode);
            Assert.Contains("the cleanup did not finish", deploy.Stderr);
            Assert.Contains("hoist lock release --force", deploy.Stderr);
        }
        finally
        {
            await Run.KillAsync(deploy.Process);
        }
    }

    [Fact]
    public async Task SigTerm_Cleans_Up_Like_CtrlC()
    {
        var project = await CreateProjectAsync(keepAlive: "keepalive_interval: 15");
        var live = project.Current();
        var deploy = new LiveOutput(HoistCli.Start(Dir.Path, "deploy"));
        try
        {
            await deploy.WaitForLineAsync("-- build:", TimeSpan.FromSeconds(60));
            await SignalAsync(deploy.Process, "TERM");

            var ended = await deploy.WaitForExitAsync(TimeSpan.FromSeconds(60));

            output.WriteLine(deploy.ToString());
            Assert.True(ended, $"hoist still runs 60 s after SIGTERM:\n{deploy}");
            Assert.Equal(130, deploy.Process.ExitCode);
            Assert.Equal(live, project.Current());
            Assert.Equal([live], project.Releases());
            Assert.False(Directory.Exists(Path.Combine(project.DeployTo, ".hoist", "lock")));
        }
        finally
        {
            await Run.KillAsync(deploy.Process);
        }
    }

    /// <summary>A project with one release live, whose next build sleeps long enough to be frozen or signalled in.</summary>
    private async Task<Project> CreateProjectAsync(string keepAlive)
    {
        var project = Project.Create(Dir, Sshd, $"repo: {repo.Bare}", "build: [\"test ! -e .second || sleep 31.5\"]");
        var yaml = File.ReadAllText(project.ConfigPath).Replace($"known_hosts: {Sshd.KnownHosts} }}", $"known_hosts: {Sshd.KnownHosts}, {keepAlive} }}", StringComparison.Ordinal);
        File.WriteAllText(project.ConfigPath, yaml);
        var first = await project.HoistAsync("deploy");
        Assert.True(first.ExitCode == 0, first.ToString());
        await repo.CommitAsync("v2", ("index.html", "v2"), (".second", ""));
        return project;
    }

    private async Task FreezeHostAsync()
    {
        var sessions = Sshd.SessionProcesses();
        Assert.True(sessions.Count == 1, $"expected one sshd session running the deploy's script, found {sessions.Count}");
        await Run.ProcessAsync("kill", ["-STOP", sessions[0].ToString(CultureInfo.InvariantCulture)]);
        stopped.Add(sessions[0]);
        output.WriteLine($"sshd session {sessions[0]} stopped");
    }

    private static async Task SignalAsync(Process process, string signal)
    {
        var result = await Run.ProcessAsync("kill", [$"-{signal}", process.Id.ToString(CultureInfo.InvariantCulture)]);
        Assert.True(result.ExitCode == 0, result.ToString());
    }
}
