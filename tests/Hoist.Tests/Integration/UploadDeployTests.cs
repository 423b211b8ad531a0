namespace Hoist.Tests.Integration;

using Hoist.Tests.Support;

/// <summary>Upload mode: a local folder streamed as a tar over the SSH channel.</summary>
public sealed class UploadDeployTests : SshdTest
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
        var project = Project.Create(Dir, Sshd, "upload: ./publish", "build: [\"sleep 4\"]");
        File.WriteAllText(project.ConfigPath, File.ReadAllText(project.ConfigPath).Replace("known_hosts:", "connect_timeout: 2, known_hosts:"));

        var first = project.HoistAsync("deploy", "-m", "holder");
        await Task.Delay(1500);
        var started = DateTime.UtcNow;
        var second = await project.HoistAsync("deploy");
        var elapsed = DateTime.UtcNow - started;

        Assert.Equal(1, second.ExitCode);
        Assert.Contains("deploy is locked by", second.Stderr);
        Assert.Contains(": deploy: holder", second.Stderr);
        Assert.True(elapsed < TimeSpan.FromSeconds(30), $"took {elapsed}");
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
