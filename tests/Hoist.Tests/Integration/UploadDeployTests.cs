namespace Hoist.Tests.Integration;

using System.Diagnostics;
using Hoist.Tests.Support;
using Xunit.Abstractions;

/// <summary>Upload mode: a local folder streamed as a tar over the SSH channel.</summary>
public sealed class UploadDeployTests(ITestOutputHelper output) : SshdTest
{

    [Fact]
    public async Task Uploads_A_Local_Folder_As_A_Release()
    {
        Dir.Write("publish/app.txt", "built app\n");
        Dir.Write("publish/static/site.css", "body{}\n");
        Dir.Write("publish/it's odd name.txt", "quoted\n");
        File.SetUnixFileMode(Dir.Write("publish/run.sh", "#!/bin/sh\necho run\n"), (UnixFileMode)0b111_101_101);
        var project = Project.Create(Dir, Sshd, "upload: ./publish", "build: [\"./run.sh > ran.txt\"]");

        var result = await project.HoistAsync("deploy");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("built app\n", project.ReadCurrent("app.txt"));
        Assert.Equal("body{}\n", project.ReadCurrent("static/site.css"));
        Assert.Equal("quoted\n", project.ReadCurrent("it's odd name.txt"));
        Assert.Equal("run\n", project.ReadCurrent("ran.txt"));
        Assert.StartsWith("upload-", project.ReadCurrent("REVISION"));

        // The same files give the same revision; changed files a new one.
        var revision = project.ReadCurrent("REVISION");
        Assert.Equal(0, (await project.HoistAsync("deploy")).ExitCode);
        Assert.Equal(revision, project.ReadCurrent("REVISION"));
        Dir.Write("publish/app.txt", "built app v2\n");
        Assert.Equal(0, (await project.HoistAsync("deploy")).ExitCode);
        Assert.NotEqual(revision, project.ReadCurrent("REVISION"));
        Assert.Equal("built app v2\n", project.ReadCurrent("app.txt"));
    }

    [Fact]
    public async Task Big_Upload_While_Locked_Fails_At_Once_Naming_The_Holder()
    {
        // 8 MB of incompressible data: more than the SSH window, so the writer would block on a host that stopped reading.
        Dir.Write("publish/app.txt", "app");
        await Run.ShellAsync($"head -c 8000000 /dev/urandom > {Dir.Combine("publish", "blob.bin")}");
        // The holder's build waits for the test: the lock is held for exactly as long as the second deploy needs.
        var gate = new BuildGate(Dir);
        var project = Project.Create(Dir, Sshd, "upload: ./publish", $"build: [\"{gate.Step}\"]");
        // No short connect_timeout: on a loaded machine the second deploy's SSH handshake alone can take longer than 2 s.

        var first = project.HoistAsync("deploy", "-m", "holder");
        await gate.WaitStartedAsync(first);
        var clock = Stopwatch.StartNew();
        var second = await project.HoistAsync("deploy");
        var took = clock.Elapsed;
        // What "fails at once" means here: the second returned while the holder still held the lock (a second that
        // blocked on a host that stopped reading would run into the process timeout instead).
        var holderStillRan = !first.IsCompleted;
        gate.Open();

        output.WriteLine($"second deploy while the holder's build waited: exit {second.ExitCode} after {took.TotalMilliseconds:0} ms, holder still running: {holderStillRan}\n{second.Stderr.Trim()}");
        Assert.Equal(75, second.ExitCode);
        Assert.Contains("deploy is locked by", second.Stderr);
        Assert.Contains(": deploy: holder", second.Stderr);
        Assert.True(holderStillRan, "the holder's deploy ended before the second one returned");
        var result = await first;
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Single(project.Releases());
    }

    [Fact]
    public async Task Local_Host_Deploys_Without_Ssh()
    {
        Dir.Write("publish/app.txt", "local\n");
        var project = Project.Create(Dir, Sshd, "upload: ./publish", hosts: "local");
        var before = Sshd.ExecChannels();

        var result = await project.HoistAsync("deploy");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("local\n", project.ReadCurrent("app.txt"));
        Assert.Equal(before, Sshd.ExecChannels());
    }
}
