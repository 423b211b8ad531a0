namespace Hoist.Tests.Integration;

using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// The key exchange a real OpenSSH server agrees to, read from its own debug log: by default a cheap classic curve
/// rather than sntrup761 (tens of ms of CPU per connection in SSH.NET), and exactly what ssh.kex_algorithms asks.
/// </summary>
public sealed class KeyExchangeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task By_Default_Debians_Sshd_Agrees_To_Curve25519_Not_Sntrup761()
    {
        await using var sshd = await TestSshd.StartAsync("LogLevel DEBUG1");
        using var dir = new TempDir();
        var project = UploadProject(dir, sshd, kex: null);

        var deploy = await project.HoistAsync("deploy");

        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        output.WriteLine(string.Join('\n', Agreed(sshd)));
        Assert.Equal(["curve25519-sha256"], Agreed(sshd));
    }

    [Fact]
    public async Task Kex_Algorithms_Puts_Sntrup761_First_When_Asked()
    {
        await using var sshd = await TestSshd.StartAsync("LogLevel DEBUG1");
        using var dir = new TempDir();
        var project = UploadProject(dir, sshd, kex: "[sntrup761x25519-sha512@openssh.com, curve25519-sha256]");

        var deploy = await project.HoistAsync("deploy");

        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        Assert.Equal(["sntrup761x25519-sha512@openssh.com"], Agreed(sshd));
    }

    [Fact]
    public async Task A_Host_Sharing_None_Of_The_Listed_Key_Exchanges_Is_A_Clear_Error_That_Names_Them()
    {
        await using var sshd = await TestSshd.StartAsync("KexAlgorithms sntrup761x25519-sha512@openssh.com");
        using var dir = new TempDir();
        var project = UploadProject(dir, sshd, kex: "[curve25519-sha256]");

        var deploy = await project.HoistAsync("deploy");

        output.WriteLine(deploy.Stderr);
        Assert.Equal(1, deploy.ExitCode);
        Assert.Contains($"127.0.0.1:{sshd.Port}: the host accepts none of the key exchanges offered (curve25519-sha256); add one it accepts to ssh.kex_algorithms", deploy.Stderr, StringComparison.Ordinal);
        Assert.Contains("(the host offers sntrup761x25519-sha512@openssh.com)", deploy.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", deploy.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(project.DeployTo));
    }

    [Fact]
    public async Task A_Kex_Algorithms_List_Keeps_Strict_Key_Exchange_Against_Terrapin()
    {
        // Replacing SSH.NET's key exchange table must not drop the kex-strict-c-v00@openssh.com marker (CVE-2023-48795).
        await using var sshd = await TestSshd.StartAsync("LogLevel DEBUG3");
        using var dir = new TempDir();
        var project = UploadProject(dir, sshd, kex: "[curve25519-sha256]");

        var deploy = await project.HoistAsync("deploy");

        var strict = File.ReadLines(sshd.LogFile).Where(l => l.Contains("strict KEX", StringComparison.OrdinalIgnoreCase)).ToList();
        output.WriteLine(string.Join('\n', strict));
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        Assert.Contains(strict, l => l.Contains("will use strict KEX ordering", StringComparison.Ordinal));
    }

    private static Project UploadProject(TempDir dir, TestSshd sshd, string? kex)
    {
        dir.Write("publish/a.txt", "a");
        var project = Project.Create(dir, sshd, "upload: ./publish");
        if (kex is not null)
        {
            var yaml = File.ReadAllText(project.ConfigPath);
            File.WriteAllText(project.ConfigPath, yaml.Replace("ssh: { user: root,", $"ssh: {{ kex_algorithms: {kex}, user: root,", StringComparison.Ordinal));
        }

        return project;
    }

    /// <summary>OpenSSH logs "debug1: kex: algorithm: NAME" once per key exchange it agrees to.</summary>
    private static string[] Agreed(TestSshd sshd) =>
        File.ReadLines(sshd.LogFile)
            .Select(l => l.Split("kex: algorithm: ", 2))
            .Where(parts => parts.Length == 2)
            .Select(parts => parts[1].Split(' ')[0])
            .ToArray();
}
