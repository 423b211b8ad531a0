namespace Hoist.Tests.Integration;

using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>hooks: on two real sshd hosts: remote hooks on each host (once: on one), and a failing before_switch hook.</summary>
public sealed class TwoHostHookTests(ITestOutputHelper output) : IAsyncLifetime
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
    public async Task Remote_Hooks_Run_On_Every_Host_And_Once_On_The_First()
    {
        var log = dir.Combine("hooks.log");
        dir.Write("publish/index.html", "v1");
        var project = Project.Create(dir, one, "upload: ./publish",
            "hooks:\n  after_deploy:\n" +
            $"    - remote: 'echo \"all $HOME\" >> {log}'\n" +
            $"    - remote: 'echo \"once $HOME\" >> {log}'\n      once: true\n",
            hosts: $"{one.Address}, {two.Address}", deployTo: "~/app");

        var deploy = await project.HoistAsync("deploy");

        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        var lines = File.ReadAllLines(log);
        output.WriteLine(string.Join('\n', lines));
        Assert.Equal(new[] { $"all {one.Home}", $"all {two.Home}" }.Order(StringComparer.Ordinal), lines.Where(l => l.StartsWith("all", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        // Every "all" line comes before the once hook: the second hook starts when the first ended on every host.
        Assert.Equal([$"once {one.Home}"], lines.Skip(2));
    }

    [Fact]
    public async Task A_Failing_Before_Switch_Hook_Switches_No_Host_And_On_Failure_Runs_Once()
    {
        var errors = dir.Combine("failures.log");
        dir.Write("publish/index.html", "v1");
        var hooks = "hooks:\n  before_switch:\n" +
            $"    - remote: 'test ! -e $HOIST_DEPLOY_TO/../fail || test \"$HOME\" != {two.Home}'\n" +
            $"  on_failure:\n    - local: 'printf \"%s|%s\\n\" \"$HOIST_PHASE\" \"$HOIST_ERROR\" >> {errors}'\n" +
            "    - local: 'exit 9'\n";
        var project = Project.Create(dir, one, "upload: ./publish", hooks, hosts: $"{one.Address}, {two.Address}", deployTo: "~/app");
        var first = await project.HoistAsync("deploy");
        Assert.True(first.ExitCode == 0, first.ToString());
        var live = new[] { one, two }.Select(h => Path.GetFileName(new DirectoryInfo(Path.Combine(h.Home, "app", "current")).LinkTarget)).ToList();
        var releases = new[] { one, two }.Select(h => Directory.GetDirectories(Path.Combine(h.Home, "app", "releases")).Length).ToList();
        File.WriteAllText(Path.Combine(two.Home, "fail"), "");
        File.WriteAllText(Path.Combine(one.Home, "fail"), "");
        dir.Write("publish/index.html", "v2");

        var failed = await project.HoistAsync("deploy");

        output.WriteLine(failed.ToString());
        Assert.Equal(1, failed.ExitCode);
        Assert.Contains($"hook hooks.before_switch[0] (remote): test ! -e $HOIST_DEPLOY_TO/../fail || test \"$HOME\" != {two.Home} failed on {two.Address} (exit 1)", failed.Stderr);
        Assert.Contains("the deploy stopped at before_switch: nothing was switched, current is unchanged on every host", failed.Stderr);
        Assert.Contains("hook hooks.on_failure[1] (local): exit 9 failed here (exit 9)", failed.Stderr);
        // The deploy's own error is the last word, not the on_failure hook's.
        Assert.EndsWith("current is unchanged on every host", failed.Stderr.TrimEnd());
        foreach (var (host, i) in new[] { one, two }.Select((h, i) => (h, i)))
        {
            Assert.Equal(live[i], Path.GetFileName(new DirectoryInfo(Path.Combine(host.Home, "app", "current")).LinkTarget));
            Assert.Equal("v1", File.ReadAllText(Path.Combine(host.Home, "app", "current", "index.html")));
            Assert.False(Directory.Exists(Path.Combine(host.Home, "app", ".hoist", "lock")), $"lock left on {host.Address}");
            Assert.Equal(releases[i], Directory.GetDirectories(Path.Combine(host.Home, "app", "releases")).Length);
        }

        // HOIST_ERROR is the whole error, over several lines; each run of the hook starts one record with its phase.
        var recorded = File.ReadAllText(errors);
        output.WriteLine("on_failure recorded:\n" + recorded);
        Assert.Equal(1, recorded.Split("on_failure|").Length - 1);
        Assert.StartsWith($"on_failure|hook hooks.before_switch[0] (remote): test ! -e $HOIST_DEPLOY_TO/../fail || test \"$HOME\" != {two.Home} failed on {two.Address} (exit 1)", recorded, StringComparison.Ordinal);
        Assert.Contains("the deploy stopped at before_switch: nothing was switched", recorded, StringComparison.Ordinal);
    }
}
