namespace Hoist.Tests.Integration;

using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// `hoist setup` under the deploy lock, on a real sshd: refused with the held-lock code while a deploy holds it (and
/// changes nothing), and, once it runs, leaves its audit line next to the deploy's and no lock. Its setup asks for a
/// systemd unit, which this machine (no systemd) refuses in setup's read-only precheck: nothing on it is changed.
/// </summary>
public sealed class SetupLockTests(ITestOutputHelper output) : SshdTest
{
    [Fact]
    public async Task Setup_While_A_Deploy_Holds_The_Lock_Exits_75_And_Changes_Nothing_Then_Audits_Under_The_Lock()
    {
        Dir.Write("site/index.html", "v1");
        var gate = new BuildGate(Dir);
        var deployTo = Dir.Combine("target");
        var hoistPath = Dir.Combine("bin", "hoist");
        var project = Project.Create(Dir, Sshd, "upload: ./site", $"""
            build: ["{gate.Step}"]
            reload: "true"
            serve:
              socket: {deployTo}/shared/run/app.sock
              workers: 1
              chdir: {deployTo}/current
              command: exec python3 -m http.server "$PORT"
            setup:
              user: hoistlocktest
              hoist_path: {hoistPath}
              service: systemd
            """);
        var audit = Path.Combine(deployTo, ".hoist", "audit.log");
        var lockInfo = Path.Combine(deployTo, ".hoist", "lock", "info");

        var deploy = project.HoistAsync("deploy", "-m", "holder");
        await gate.WaitStartedAsync(deploy);
        var heldBy = File.ReadAllText(lockInfo);
        var refused = await project.HoistAsync("setup");
        var stillHeldBy = File.Exists(lockInfo) ? File.ReadAllText(lockInfo) : "(no lock)";
        var deployStillRan = !deploy.IsCompleted;
        gate.Open();
        var deployed = await deploy;
        output.WriteLine($"setup while the deploy held the lock: {refused}\nlock before: {heldBy.Trim()}; after: {stillHeldBy.Trim()}; deploy still running: {deployStillRan}");

        Assert.Equal(75, refused.ExitCode);
        Assert.Contains($"{Sshd.Address}: deploy is locked by ", refused.Stderr);
        Assert.Contains(": deploy: holder", refused.Stderr);
        Assert.Contains("no host was changed", refused.Stderr);
        // Nothing ran past the lock: not even the precheck (which names systemd) reported.
        Assert.DoesNotContain("systemd", refused.All);
        Assert.Equal(heldBy, stillHeldBy);
        Assert.True(deployStillRan, "the deploy ended before setup returned");
        Assert.False(File.Exists(hoistPath));
        Assert.False(File.Exists(Path.Combine(deployTo, "shared", "serve.ini")));
        Assert.True(deployed.ExitCode == 0, deployed.ToString());
        Assert.DoesNotContain(File.ReadAllLines(audit), l => l.Split(' ')[2] == "setup");

        var ran = await project.HoistAsync("setup");
        var lines = File.ReadAllLines(audit);
        output.WriteLine($"setup with the lock free: {ran}\naudit.log:\n{string.Join('\n', lines)}");

        Assert.Equal(1, ran.ExitCode);
        Assert.Contains("setup.service is systemd", ran.All);
        Assert.Equal(["deploy", "setup"], lines.Select(l => l.Split(' ')[2]));
        Assert.Matches(@"^\S+ \S+@\S+ setup result=not-run changed=0$", lines[1]);
        Assert.False(Directory.Exists(Path.Combine(deployTo, ".hoist", "lock")), "setup left the lock behind");
    }
}
