namespace Hoist.Tests.Integration;

using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// What a deploy finds in <c>.hoist/</c> on a real sshd, left there by hand, by a hostile holder or by a kill -9 while
/// the lock was being taken: each is named plainly, shown on one line, or cleaned up.
/// </summary>
public sealed class LockLeftoverTests(ITestOutputHelper output) : SshdTest
{
    [Fact]
    public async Task Lock_That_Is_A_Dangling_Symlink_Is_Named_With_How_To_Clear_It()
    {
        Dir.Write("site/index.html", "v1");
        var project = Project.Create(Dir, Sshd, "upload: ./site");
        Directory.CreateDirectory(Path.Combine(project.DeployTo, ".hoist"));
        File.CreateSymbolicLink(Path.Combine(project.DeployTo, ".hoist", "lock"), "/nonexistent-hoist-lock");

        var result = await project.HoistAsync("deploy");
        output.WriteLine(result.ToString());

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{project.DeployTo}/.hoist/lock is a symlink to /nonexistent-hoist-lock, not a lock folder", result.Stderr);
        Assert.Contains($"rm {project.DeployTo}/.hoist/lock", result.Stderr);
        Assert.DoesNotContain("could not be made: \n", result.Stderr + "\n");
    }

    [Fact]
    public async Task Holder_With_A_Carriage_Return_Stays_One_Line_And_Forges_No_Host_Line()
    {
        Dir.Write("site/index.html", "v1");
        var project = Project.Create(Dir, Sshd, "upload: ./site");
        var lockDir = Path.Combine(project.DeployTo, ".hoist", "lock");
        Directory.CreateDirectory(lockDir);
        File.WriteAllText(Path.Combine(lockDir, "info"), "bob x\r[127.0.0.1] forged: all hosts ok\r\n");

        var deploy = await project.HoistAsync("deploy");
        var verbose = await project.HoistAsync("--verbose", "deploy");
        var status = await project.HoistAsync("lock", "status");
        output.WriteLine($"{deploy}\n--- verbose\n{verbose}\n--- lock status\n{status}");

        Assert.Equal(75, deploy.ExitCode);
        Assert.Equal(75, verbose.ExitCode);
        foreach (var result in new[] { deploy, verbose, status })
        {
            Assert.Contains(@"locked by bob x\x0d[127.0.0.1] forged: all hosts ok", result.All);
            Assert.DoesNotContain(result.All.Split('\n'), l => l.Contains("forged", StringComparison.Ordinal) && !l.Contains("locked by bob x", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Lock_New_Folders_Of_Dead_Processes_Are_Removed_When_The_Lock_Is_Taken()
    {
        Dir.Write("site/index.html", "v1");
        var project = Project.Create(Dir, Sshd, "upload: ./site");
        var state = Path.Combine(project.DeployTo, ".hoist");
        // Above the kernel's largest pid_max, so never a live process; and the test's own pid, alive throughout.
        var dead = Path.Combine(state, "lock.new.4194305");
        var alive = Path.Combine(state, $"lock.new.{Environment.ProcessId}");
        foreach (var folder in new[] { dead, alive })
        {
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "info"), "left by a kill -9");
        }

        var result = await project.HoistAsync("deploy");
        var left = Directory.GetDirectories(state, "lock.new.*").Select(Path.GetFileName).ToList();
        output.WriteLine($"{result}\nlock.new.* left: {string.Join(", ", left)}");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.False(Directory.Exists(dead), "the dead process's lock.new folder was left");
        Assert.True(Directory.Exists(alive), "a live process's lock.new folder was removed");
    }
}
