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
