namespace Hoist.Tests.Integration;

using System.Diagnostics;
using System.Globalization;
using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// Upload mode against a folder a careful user would not expect to be sent as it is: special files, links that leave
/// it, setuid bits, a big sparse file; and the temporary tar: private while it exists, gone on every exit path.
/// Each hoist gets its own TMPDIR, so what it leaves there is its own.
/// </summary>
public sealed class UploadHostileFolderTests(ITestOutputHelper output) : SshdTest
{
    // Long enough for a loaded machine, short enough that a hang fails the test instead of the run.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private string Tmp => Dir.Combine("tmp");

    [Fact]
    public async Task Fifo_Is_Skipped_With_A_Warning_By_Deploy_And_Dry_Run()
    {
        Dir.Write("publish/app.txt", "app\n");
        await Run.ShellAsync($"mkfifo '{Dir.Combine("publish", "pipe")}'");
        var project = Project.Create(Dir, Sshd, "upload: ./publish");

        var dry = await HoistAsync("deploy", "--dry-run");
        var deploy = await HoistAsync("deploy");

        output.WriteLine($"dry run: {dry}\ndeploy: {deploy}");
        Assert.True(dry.ExitCode == 0, dry.ToString());
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        Assert.Contains("warning: skipped pipe: a FIFO", dry.All);
        Assert.Contains("warning: skipped pipe: a FIFO", deploy.All);
        Assert.Equal("app\n", project.ReadCurrent("app.txt"));
        Assert.False(Path.Exists(Path.Combine(project.DeployTo, "current", "pipe")));
    }

    [Fact]
    public async Task Socket_And_Device_Are_Skipped_With_A_Warning()
    {
        Dir.Write("publish/app.txt", "app\n");
        // Bound by a process that leaves its socket file behind (.NET removes its own when closed), as a crashed app would.
        await Run.ShellAsync($"python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' '{Dir.Combine("publish", "app.sock")}'");
        Assert.True(Path.Exists(Dir.Combine("publish", "app.sock")), "the socket file was not made");
        await Run.ShellAsync($"mknod '{Dir.Combine("publish", "null")}' c 1 3");
        var project = Project.Create(Dir, Sshd, "upload: ./publish");

        var deploy = await HoistAsync("deploy");

        var sent = new[] { "app.sock", "null" }.Where(n => Path.Exists(Path.Combine(project.DeployTo, "current", n))).ToArray();
        output.WriteLine($"{deploy}\nspecial files that reached the release: {sent.Length} ({string.Join(", ", sent)})");
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        Assert.Contains("warning: skipped app.sock: a socket", deploy.All);
        Assert.Contains("warning: skipped null: a device", deploy.All);
        Assert.Equal("app\n", project.ReadCurrent("app.txt"));
        Assert.Empty(sent);
    }

    [Fact]
    public async Task Temp_Tar_Is_Unreadable_To_Another_User_And_Kill9_Leaves_Nothing()
    {
        // A TMPDIR shaped like /tmp (sticky, open to all), reachable by the other user.
        Directory.CreateDirectory(Tmp);
        File.SetUnixFileMode(Tmp, (UnixFileMode)Convert.ToInt32("1777", 8));
        File.SetUnixFileMode(Dir.Path, (UnixFileMode)Convert.ToInt32("755", 8));
        Dir.Write("publish/app.txt", "the app's private code\n");
        var gate = new BuildGate(Dir);
        var project = Project.Create(Dir, Sshd, "upload: ./publish", $"build: [\"{gate.Step}\"]");
        await using var other = await OtherUser.CreateAsync();

        using var deploy = HoistCli.Start(Dir.Path, new Dictionary<string, string> { ["TMPDIR"] = Tmp }, "deploy");
        try
        {
            await gate.WaitStartedAsync(deploy.WaitForExitAsync());
            var visible = HoistFiles();
            var readable = 0;
            foreach (var file in visible)
            {
                var read = await Run.ProcessAsync("runuser", ["-u", other.Name, "--", "cat", file]);
                readable += read.ExitCode == 0 ? 1 : 0;
                output.WriteLine($"in TMPDIR during the deploy: {file} mode {Convert.ToString((int)File.GetUnixFileMode(file), 8)}, {other.Name} {(read.ExitCode == 0 ? "read it" : "could not read it")}");
            }

            var held = OpenHoistFiles(deploy.Id);
            foreach (var (fd, mode) in held)
            {
                output.WriteLine($"held open by hoist: {fd} mode {Convert.ToString((int)mode, 8)}");
            }

            Process.Start("kill", ["-9", deploy.Id.ToString(CultureInfo.InvariantCulture)])!.WaitForExit();
            await deploy.WaitForExitAsync();
            var left = HoistFiles();
            output.WriteLine($"hoist files in TMPDIR during the deploy: {visible.Length}, readable by another user: {readable}; after kill -9: {left.Length} ({string.Join(", ", left)})");
            Assert.Equal(0, readable);
            Assert.Empty(left);
            Assert.All(held, h => Assert.Equal((UnixFileMode)Convert.ToInt32("600", 8), h.Mode));
        }
        finally
        {
            gate.Open();
            await Run.KillAsync(deploy);
        }
    }

    [Fact]
    public async Task Failed_Pack_Leaves_No_Temp_File()
    {
        // A TMPDIR too small for the tar: packing fails with ENOSPC part way.
        await using var tmpfs = await TmpfsMount.MountAsync(Tmp, "1m");
        Dir.Write("publish/app.txt", "app\n");
        await Run.ShellAsync($"head -c 3000000 /dev/urandom > '{Dir.Combine("publish", "blob.bin")}'");
        var project = Project.Create(Dir, Sshd, "upload: ./publish");

        var deploy = await HoistAsync("deploy");

        var left = HoistFiles();
        output.WriteLine($"{deploy}\nhoist files left in TMPDIR: {left.Length} ({string.Join(", ", left)})");
        Assert.Equal(1, deploy.ExitCode);
        Assert.Contains("error: cannot pack the upload folder", deploy.Stderr);
        Assert.Empty(left);
        Assert.Empty(project.Releases());
    }

    [Fact]
    public async Task Dry_Run_Lists_The_Upload_Without_Reading_A_Big_Sparse_File()
    {
        Directory.CreateDirectory(Tmp);
        Dir.Write("publish/app.txt", "app\n");
        await Run.ShellAsync($"truncate -s 1G '{Dir.Combine("publish", "big.bin")}'");
        Project.Create(Dir, Sshd, "upload: ./publish");
        var created = new List<string>();
        using var watcher = new FileSystemWatcher(Tmp) { IncludeSubdirectories = true, EnableRaisingEvents = true };
        watcher.Created += (_, e) => { lock (created) { created.Add(e.Name ?? ""); } };

        // The shell reads its own /proc io after waiting for hoist: a waited-for child's reads and writes count there.
        var script = $"NO_COLOR=1 SSH_AUTH_SOCK= TMPDIR='{Tmp}' dotnet '{HoistCli.Dll}' deploy --dry-run; code=$?; cat /proc/$$/io; exit $code";
        var result = await Run.ProcessAsync("bash", ["-c", script], Dir.Path, timeout: Bound);

        var io = result.Stdout.Split('\n').Select(l => l.Split(": ")).Where(p => p is ["rchar" or "wchar", _]).ToDictionary(p => p[0], p => long.Parse(p[1], CultureInfo.InvariantCulture));
        string[] packed;
        lock (created)
        {
            packed = created.Where(n => n.Contains("hoist", StringComparison.Ordinal)).ToArray();
        }

        output.WriteLine($"{result}\ndry run with a 1 GiB sparse file: read {io["rchar"] / 1048576} MiB, wrote {io["wchar"] / 1048576} MiB; hoist files created in TMPDIR: {packed.Length}");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("# upload: 2 files", result.Stdout);
        Assert.Contains("1.0 GiB", result.Stdout);
        Assert.Empty(packed);
        Assert.True(io["rchar"] < 256 << 20, $"the dry run read {io["rchar"]} bytes");
        Assert.True(io["wchar"] < 256 << 20, $"the dry run wrote {io["wchar"]} bytes");
    }

    [Fact]
    public async Task Deploy_Sends_A_Big_Sparse_File_Without_Its_Zeros()
    {
        Directory.CreateDirectory(Tmp);
        Dir.Write("publish/app.txt", "app\n");
        var big = Dir.Combine("publish", "big.bin");
        await Run.ShellAsync($"truncate -s 1G '{big}' && printf head | dd of='{big}' conv=notrunc status=none && printf middle | dd of='{big}' bs=1M seek=512 conv=notrunc status=none");
        var project = Project.Create(Dir, Sshd, "upload: ./publish");

        var script = $"NO_COLOR=1 SSH_AUTH_SOCK= TMPDIR='{Tmp}' dotnet '{HoistCli.Dll}' deploy; code=$?; cat /proc/$$/io; exit $code";
        var result = await Run.ProcessAsync("bash", ["-c", script], Dir.Path, timeout: TimeSpan.FromSeconds(180));

        var io = result.Stdout.Split('\n').Select(l => l.Split(": ")).Where(p => p is ["rchar" or "wchar", _]).ToDictionary(p => p[0], p => long.Parse(p[1], CultureInfo.InvariantCulture));
        var sent = Path.Combine(project.DeployTo, "current", "big.bin");
        var stat = result.ExitCode == 0 ? (await Run.ShellAsync($"stat -c '%s bytes, %b blocks of %B' '{sent}'")).Trim() : "-";
        output.WriteLine($"{result}\ndeploy with a 1 GiB sparse file: hoist read {io["rchar"] / 1048576} MiB, wrote {io["wchar"] / 1048576} MiB; on the host: {stat}");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(io["wchar"] < 256 << 20, $"the deploy wrote {io["wchar"]} bytes");
        Assert.True(io["rchar"] < 256 << 20, $"the deploy read {io["rchar"]} bytes");
        await using var file = File.OpenRead(sent);
        Assert.Equal(1L << 30, file.Length);
        var buffer = new byte[6];
        file.ReadExactly(buffer, 0, 4);
        Assert.Equal("head", System.Text.Encoding.ASCII.GetString(buffer, 0, 4));
        file.Position = 512L << 20;
        file.ReadExactly(buffer);
        Assert.Equal("middle", System.Text.Encoding.ASCII.GetString(buffer));
        file.Position = (1L << 30) - 1;
        Assert.Equal(0, file.ReadByte());
    }

    [Fact]
    public async Task Links_Leaving_The_Folder_Get_A_Warning_And_Links_Inside_Stay_Links()
    {
        Dir.Write("publish/app.txt", "app\n");
        Dir.Write("outside.txt", "not for the host\n");
        File.CreateSymbolicLink(Dir.Combine("publish", "leak"), "/etc/shadow");
        Directory.CreateDirectory(Dir.Combine("publish", "sub"));
        File.CreateSymbolicLink(Dir.Combine("publish", "sub", "up"), "../../outside.txt");
        File.CreateSymbolicLink(Dir.Combine("publish", "inside"), "app.txt");
        File.CreateSymbolicLink(Dir.Combine("publish", "sub", "back"), "../app.txt");
        var project = Project.Create(Dir, Sshd, "upload: ./publish");

        var deploy = await HoistAsync("deploy");

        output.WriteLine(deploy.ToString());
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        Assert.Contains("warning: leak -> /etc/shadow points outside the upload folder", deploy.All);
        Assert.Contains("warning: sub/up -> ../../outside.txt points outside the upload folder", deploy.All);
        Assert.DoesNotContain("inside ->", deploy.All);
        Assert.DoesNotContain("sub/back ->", deploy.All);
        Assert.Equal("app.txt", new FileInfo(Path.Combine(project.DeployTo, "current", "inside")).LinkTarget);
        Assert.Equal("../app.txt", new FileInfo(Path.Combine(project.DeployTo, "current", "sub", "back")).LinkTarget);
        Assert.Equal("app\n", project.ReadCurrent("sub/back"));
    }

    [Fact]
    public async Task Setuid_Setgid_And_Sticky_Bits_Are_Stripped_On_The_Host()
    {
        Dir.Write("publish/app.txt", "app\n");
        var tool = Dir.Write("publish/bin/tool", "#!/bin/sh\n");
        await Run.ShellAsync($"chown 12345:12345 '{tool}' && chmod 4755 '{tool}' && mkdir -m 3777 '{Dir.Combine("publish", "drop")}' && chmod 2750 '{Dir.Combine("publish", "bin")}'");
        var project = Project.Create(Dir, Sshd, "upload: ./publish");

        var deploy = await HoistAsync("deploy");

        var current = Path.Combine(project.DeployTo, "current");
        var stat = await Run.ShellAsync($"cd '{current}/' && stat -c '%n %a %U' bin bin/tool drop");
        output.WriteLine($"{deploy}\non the host: {stat}");
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        Assert.Contains("bin/tool 755 root", stat);
        Assert.Contains("bin 750 root", stat);
        Assert.Contains("drop 777 root", stat);
        Assert.Contains("note: bin/tool: setuid removed", deploy.All);
        Assert.Contains("note: bin: setgid removed", deploy.All);
        Assert.Contains("note: drop: setgid, sticky removed", deploy.All);
    }

    private Task<RunResult> HoistAsync(params string[] args)
    {
        Directory.CreateDirectory(Tmp);
        return HoistCli.RunAsync(Dir.Path, new Dictionary<string, string> { ["TMPDIR"] = Tmp }, Bound, args);
    }

    /// <summary>What hoist made in its TMPDIR (not .NET's own diagnostics socket), at any depth.</summary>
    private string[] HoistFiles() =>
        Directory.Exists(Tmp)
            ? Directory.GetFileSystemEntries(Tmp, "*", SearchOption.AllDirectories).Where(f => Path.GetFileName(f).Contains("hoist", StringComparison.Ordinal)).ToArray()
            : [];

    /// <summary>The files under TMPDIR that the process holds open (unlinked ones included), with their modes.</summary>
    private List<(string Fd, UnixFileMode Mode)> OpenHoistFiles(int pid)
    {
        var open = new List<(string, UnixFileMode)>();
        foreach (var fd in Directory.GetFiles($"/proc/{pid}/fd"))
        {
            var target = new FileInfo(fd).LinkTarget ?? "";
            if (target.StartsWith(Tmp, StringComparison.Ordinal) && target.Contains("hoist", StringComparison.Ordinal))
            {
                open.Add(($"{fd} -> {target}", File.GetUnixFileMode(fd)));
            }
        }

        return open;
    }
}
