namespace Hoist.Tests.Deploy;

using Hoist.Deploy;
using Hoist.Tests.Support;

public sealed class UploadFolderTests : IDisposable
{
    private readonly TempDir dir = new();

    [Fact]
    public void Lists_Files_Folders_And_Links_In_Order_Without_Git()
    {
        dir.Write("b.txt", "bb");
        dir.Write("a/c.txt", "c");
        dir.Write(".git/HEAD", "ref");
        File.CreateSymbolicLink(dir.Combine("link"), "b.txt");

        var folder = UploadFolder.Scan(dir.Path);

        Assert.Equal(["a", "a/c.txt", "b.txt", "link"], folder.Entries.Select(e => e.Name));
        Assert.Equal([UploadEntryKind.Folder, UploadEntryKind.File, UploadEntryKind.File, UploadEntryKind.Link], folder.Entries.Select(e => e.Kind));
        Assert.Equal("b.txt", folder.Entries[3].LinkTarget);
        Assert.Equal(2, folder.Files);
        Assert.Equal(3, folder.Bytes);
        Assert.Empty(folder.Warnings);
        Assert.Empty(folder.Notes);
        Assert.StartsWith("# upload: 2 files (3 B), 1 links, 1 folders from ", folder.Summary);
    }

    [Fact]
    public async Task Skips_A_Fifo_Without_Opening_It()
    {
        dir.Write("app.txt", "app");
        await Run.ShellAsync($"mkfifo '{dir.Combine("pipe")}'");

        var folder = UploadFolder.Scan(dir.Path);

        Assert.Equal(["app.txt"], folder.Entries.Select(e => e.Name));
        Assert.Equal(["skipped pipe: a FIFO (only files, folders and links are uploaded)"], folder.Warnings);
    }

    [Fact]
    public void Strips_Setuid_Setgid_And_Sticky_With_A_Note()
    {
        var tool = dir.Write("tool", "#!/bin/sh\n");
        File.SetUnixFileMode(tool, (UnixFileMode)Convert.ToInt32("6755", 8));

        var folder = UploadFolder.Scan(dir.Path);

        Assert.Equal((UnixFileMode)Convert.ToInt32("755", 8), folder.Entries.Single().Mode);
        Assert.Equal(["tool: setuid, setgid removed (an upload never sends these; set them in a build step if the app needs them)"], folder.Notes);
    }

    [Fact]
    public void Names_Reach_The_Terminal_Without_Control_Characters()
    {
        File.CreateSymbolicLink(dir.Combine("bad\u001b[2Jname"), "/etc/passwd");

        var folder = UploadFolder.Scan(dir.Path);

        Assert.StartsWith("bad?[2Jname -> /etc/passwd points outside", Assert.Single(folder.Warnings));
    }

    [Theory]
    [InlineData(0, "0 B")]
    [InlineData(1023, "1023 B")]
    [InlineData(1536, "1.5 KiB")]
    [InlineData(1073741824, "1.0 GiB")]
    public void Sizes_Read_As_People_Write_Them(long bytes, string shown) => Assert.Equal(shown, UploadFolder.Size(bytes));

    public void Dispose() => dir.Dispose();
}
