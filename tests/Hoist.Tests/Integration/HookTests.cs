namespace Hoist.Tests.Integration;

using System.Diagnostics;
using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// hooks: through the real binary against real sshd hosts: a test hook appends its phase and variables to a file,
/// which records the order and the environment of every phase of a deploy and of a rollback.
/// </summary>
public sealed class HookTests(ITestOutputHelper output) : SshdTest
{
    private static readonly string[] DeployPhases = ["before_deploy", "after_build", "before_switch", "after_switch", "after_deploy"];

    /// <summary>A local and a remote hook in every phase, each appending one line: "PHASE RELEASE REVISION ...".</summary>
    private string EveryPhase(string log) =>
        "hooks:\n" + string.Concat(DeployPhases.Append("after_rollback").Select(phase =>
            $"  {phase}:\n    - local: {Record(log, "local")}\n    - remote: {Record(log, "remote")}\n"));

    private static string Record(string log, string where) =>
        $"'echo \"$HOIST_PHASE|$HOIST_RELEASE|$HOIST_REVISION|$HOIST_APP|$HOIST_HOSTS|$HOIST_WHO|$HOIST_MESSAGE|{where}|$PWD\" >> {log}'";

    [Fact]
    public async Task Every_Phase_Of_A_Deploy_And_A_Rollback_Runs_In_Order_With_Its_Variables()
    {
        var log = Dir.Combine("hooks.log");
        Dir.Write("publish/index.html", "v1");
        var project = Project.Create(Dir, Sshd, "upload: ./publish", EveryPhase(log));

        var plan = await project.HoistAsync("deploy", "--dry-run");
        var ranInDryRun = File.Exists(log);
        var first = await project.HoistAsync("deploy", "-m", "first one");
        var one = project.Current();
        Dir.Write("publish/index.html", "v2");
        var second = await project.HoistAsync("deploy");
        var two = project.Current();
        var back = await project.HoistAsync("rollback");

        Assert.True(plan.ExitCode == 0, plan.ToString());
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.True(back.ExitCode == 0, back.ToString());
        Assert.False(ranInDryRun, "a dry run ran a hook");
        Assert.Contains("# hook hooks.before_switch[1] (remote): echo", plan.Stdout);
        Assert.Contains("(on every host, in the release folder)", plan.Stdout);
        var lines = File.ReadAllLines(log).Select(l => l.Split('|')).ToList();
        foreach (var line in lines)
        {
            output.WriteLine(string.Join(" | ", line));
        }

        var who = $"{Environment.UserName}@{Environment.MachineName}";
        var expected = new List<string>();
        void Run(IEnumerable<string> phases, string release, string message)
        {
            foreach (var phase in phases)
            {
                var id = phase == "before_deploy" ? "" : release;
                expected.Add($"{phase}|{id}|testapp|{Sshd.Address}|{who}|{message}|local|{Dir.Path}");
                var folder = id.Length == 0 ? project.DeployTo : Path.Combine(project.DeployTo, "releases", id);
                expected.Add($"{phase}|{id}|testapp|{Sshd.Address}|{who}|{message}|remote|{(Directory.Exists(folder) || id.Length > 0 ? folder : Sshd.Home)}");
            }
        }

        Run(DeployPhases, one, "first one");
        Run(DeployPhases, two, "");
        Run(["after_rollback"], one, "");
        // The revision (field 2) is checked apart: before the build it is not known yet.
        var firstRemote = lines[1][8];
        Assert.Equal(
            expected.Select((e, i) => i == 1 ? e.Replace(project.DeployTo, firstRemote, StringComparison.Ordinal) : e),
            lines.Select(l => string.Join('|', l.Where((_, i) => i != 2))));
        Assert.Contains(firstRemote, new[] { project.DeployTo, Sshd.Home });
        Assert.All(lines.Where(l => l[0] is not ("before_deploy" or "after_rollback")), l => Assert.StartsWith("upload-", l[2], StringComparison.Ordinal));
        Assert.Equal(one, project.Current());
    }

    [Fact]
    public async Task A_Secret_In_The_Environment_Is_Redacted_In_A_Hooks_Output()
    {
        const string Value = "hk-S3cret-value-91";
        Dir.Write("publish/index.html", "v1");
        var project = Project.Create(Dir, Sshd, "upload: ./publish",
            $"env: {{ API_KEY: \"{Value}\" }}\nsecrets: [API_KEY]\nhooks:\n  after_deploy:\n" +
            "    - local: 'echo \"local key=$API_KEY\"; echo \"local err=$API_KEY\" >&2'\n" +
            "    - remote: 'echo \"remote key=$API_KEY\"; ps -o args= -p $$ >&2'\n");

        var deploy = await project.HoistAsync("deploy", "--verbose");

        output.WriteLine(deploy.ToString());
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        Assert.DoesNotContain(Value, deploy.All, StringComparison.Ordinal);
        Assert.Contains("[local] local key=[REDACTED]", deploy.Stdout);
        Assert.Contains("[local] local err=[REDACTED]", deploy.Stderr);
        Assert.Contains($"[{Sshd.Address}] remote key=[REDACTED]", deploy.Stdout);
    }

    [Fact]
    public async Task A_Failing_After_Switch_Hook_Fails_The_Deploy_But_Changes_Nothing_Back()
    {
        var log = Dir.Combine("hooks.log");
        Dir.Write("publish/index.html", "v1");
        var project = Project.Create(Dir, Sshd, "upload: ./publish",
            "hooks:\n  after_switch:\n    - remote: 'exit 4'\n" +
            $"    - local: 'echo \"$HOIST_PHASE ran\" >> {log}'\n" +
            $"  after_deploy:\n    - local: 'echo \"$HOIST_PHASE ran\" >> {log}'\n" +
            $"  on_failure:\n    - local: 'echo \"$HOIST_PHASE ran\" >> {log}'\n");

        var deploy = await project.HoistAsync("deploy");

        output.WriteLine(deploy.ToString());
        output.WriteLine("recorded: " + File.ReadAllText(log));
        Assert.Equal(1, deploy.ExitCode);
        Assert.Contains($"error: hook hooks.after_switch[0] (remote): exit 4 failed on {Sshd.Address} (exit 4)", deploy.Stderr);
        Assert.Contains("the release is live; a failing after hook changes nothing back", deploy.Stderr);
        Assert.Equal("v1", project.ReadCurrent("index.html"));
        Assert.False(Directory.Exists(Path.Combine(project.DeployTo, ".hoist", "lock")), "lock left");
        // The rest of after_switch still ran; after_deploy did not (the deploy did not succeed); on_failure once.
        Assert.Equal(["after_switch ran", "on_failure ran"], File.ReadAllLines(log));
    }

    [Fact]
    public async Task A_Failed_Rollback_Runs_On_Failure_Once_With_The_Error()
    {
        var log = Dir.Combine("hooks.log");
        Dir.Write("publish/index.html", "v1");
        var project = Project.Create(Dir, Sshd, "upload: ./publish",
            $"hooks:\n  after_rollback:\n    - local: 'echo after_rollback >> {log}'\n" +
            $"  on_failure:\n    - remote: 'printf \"%s|%s\\n\" \"$HOIST_PHASE\" \"$HOIST_ERROR\" >> {log}'\n");
        Assert.Equal(0, (await project.HoistAsync("deploy")).ExitCode);

        var rollback = await project.HoistAsync("rollback");

        output.WriteLine(rollback.ToString());
        var recorded = File.ReadAllText(log);
        output.WriteLine("recorded: " + recorded);
        Assert.Equal(1, rollback.ExitCode);
        Assert.Equal($"on_failure|{Sshd.Address}: no good release before {project.Current()} to roll back to\nnothing was switched\n", recorded);
    }

    [Theory]
    [InlineData("before_switch", "remote", "sleep 17.35")]
    [InlineData("after_build", "local", "sleep 17.45")]
    public async Task CtrlC_Ends_A_Hanging_Hook_And_Takes_The_Deploy_Back(string phase, string where, string sleep)
    {
        Dir.Write("publish/index.html", "v1");
        // Only the second deploy's hook hangs, and its sleep is unmistakable in the process list.
        var project = Project.Create(Dir, Sshd, "upload: ./publish",
            $"hooks:\n  {phase}:\n    - {where}: 'test ! -e {Dir.Combine("hang")} || {sleep}'\n");
        Assert.Equal(0, (await project.HoistAsync("deploy")).ExitCode);
        var live = project.Current();
        Dir.Write("hang", "");
        Dir.Write("publish/index.html", "v2");

        using var process = HoistCli.Start(Dir.Path, "deploy");
        var deploy = new LiveOutput(process);
        await deploy.WaitForLineAsync($"hook hooks.{phase}[0] ({where})", TimeSpan.FromSeconds(60));
        var clock = Stopwatch.StartNew();
        await WaitForAsync(() => Directory.GetDirectories("/proc").Any(p => ReadArgv(p) == sleep), sleep);
        Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
        Assert.True(await deploy.WaitForExitAsync(TimeSpan.FromSeconds(60)), "hoist did not exit within 60 s of Ctrl-C");

        output.WriteLine($"{phase} {where} hook: exit {process.ExitCode} {clock.ElapsedMilliseconds} ms after its sleep was seen\n{deploy}");
        Assert.Equal(130, process.ExitCode);
        Assert.Equal(live, project.Current());
        Assert.Equal([live], project.Releases());
        Assert.False(Directory.Exists(Path.Combine(project.DeployTo, ".hoist", "lock")), "lock left");
        await WaitForAsync(() => !Directory.GetDirectories("/proc").Any(p => ReadArgv(p) == sleep), "the hook's sleep to end");
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

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"waited 10 s for {what}");
            await Task.Delay(20);
        }
    }
}
