namespace Hoist.Tests.Integration;

using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>Host keys are checked against known_hosts: unknown and changed keys are refused, with what to do.</summary>
public sealed class HostKeyTests(ITestOutputHelper output) : SshdTest
{

    [Fact]
    public async Task Unknown_Key_Is_Refused_Until_Accepted_By_Check()
    {
        File.WriteAllText(Sshd.KnownHosts, "");
        Dir.Write("publish/a.txt", "a");
        var project = Project.Create(Dir, Sshd, "upload: ./publish");
        var fingerprint = (await Run.ShellAsync($"ssh-keygen -lf {Sshd.HostKeyPub} -E sha256")).Split(' ')[1];

        var refused = await project.HoistAsync("deploy");

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains($"127.0.0.1:{Sshd.Port}: unknown host key ssh-ed25519 {fingerprint}", refused.Stderr);
        Assert.Contains("hoist check --accept-new-host-keys", refused.Stderr);
        Assert.False(Directory.Exists(project.DeployTo));

        var check = await project.HoistAsync("check", "--accept-new-host-keys");
        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.Contains($"recorded host key ssh-ed25519 {fingerprint}", check.Stdout);
        Assert.Equal(0, (await Run.ProcessAsync("ssh-keygen", ["-F", $"[127.0.0.1]:{Sshd.Port}", "-f", Sshd.KnownHosts])).ExitCode);

        var deploy = await project.HoistAsync("deploy");
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
    }

    [Fact]
    public async Task Changed_Key_Is_Always_Refused()
    {
        await Run.ShellAsync($"ssh-keygen -q -t ed25519 -N '' -f {Dir.Combine("other")}");
        var other = File.ReadAllText(Dir.Combine("other.pub")).Split(' ');
        File.WriteAllText(Sshd.KnownHosts, $"[127.0.0.1]:{Sshd.Port} {other[0]} {other[1]}\n");
        Dir.Write("publish/a.txt", "a");
        var project = Project.Create(Dir, Sshd, "upload: ./publish");

        var refused = await project.HoistAsync("deploy");
        var check = await project.HoistAsync("check", "--accept-new-host-keys");

        foreach (var result in new[] { refused, check })
        {
            Assert.Equal(1, result.ExitCode);
            Assert.Contains($"127.0.0.1:{Sshd.Port}: HOST KEY CHANGED", result.Stderr);
            Assert.Contains($"does not match {Sshd.KnownHosts}:1", result.Stderr);
            Assert.Contains($"ssh-keygen -R '[127.0.0.1]:{Sshd.Port}'", result.Stderr);
        }

        Assert.False(Directory.Exists(project.DeployTo));
        Assert.Single(File.ReadAllLines(Sshd.KnownHosts));
    }

    [Fact]
    public async Task Broken_Line_For_The_Host_Is_Reported_And_Never_Replaced_By_Accept_New()
    {
        var broken = $"[127.0.0.1]:{Sshd.Port} ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAbroken";
        File.WriteAllText(Sshd.KnownHosts, "# hosts\n\n" + broken + "\n");
        Dir.Write("publish/a.txt", "a");
        var project = Project.Create(Dir, Sshd, "upload: ./publish");

        var deploy = await project.HoistAsync("deploy");
        var check = await project.HoistAsync("check", "--accept-new-host-keys");

        output.WriteLine($"deploy: {deploy}\ncheck --accept-new-host-keys: {check}");
        foreach (var result in new[] { deploy, check })
        {
            Assert.Equal(1, result.ExitCode);
            Assert.Contains($"error: 127.0.0.1:{Sshd.Port}: {Sshd.KnownHosts}:3 names this host but is malformed (the key is not valid base64)", result.Stderr);
            Assert.DoesNotContain("unknown host key", result.All);
        }

        Assert.Equal("# hosts\n\n" + broken + "\n", File.ReadAllText(Sshd.KnownHosts));
        Assert.False(Directory.Exists(project.DeployTo));
    }

    [Fact]
    public async Task Folder_As_Known_Hosts_Is_A_Clear_Error()
    {
        Dir.Write("publish/a.txt", "a");
        var project = Project.Create(Dir, Sshd, "upload: ./publish");
        File.Delete(Sshd.KnownHosts);
        Directory.CreateDirectory(Sshd.KnownHosts);

        var check = await project.HoistAsync("check", "--accept-new-host-keys");

        output.WriteLine(check.ToString());
        Assert.Equal(1, check.ExitCode);
        Assert.Equal($"error: {Sshd.KnownHosts} is a folder, not a known_hosts file; set ssh.known_hosts to a file (default ~/.ssh/known_hosts)\n", check.Stderr);
    }
}
