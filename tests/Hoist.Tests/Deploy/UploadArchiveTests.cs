namespace Hoist.Tests.Deploy;

using Hoist.Deploy;
using Hoist.Tests.Support;

public sealed class UploadArchiveTests : IDisposable
{
    private readonly TempDir dir = new();

    [Fact]
    public async Task Unpacks_With_Tar_As_It_Was_Sparse_Files_And_Links_Included()
    {
        dir.Write("in/app.txt", "app\n");
        dir.Write("in/sub/deep.txt", "deep\n");
        File.CreateSymbolicLink(dir.Combine("in", "sub", "back"), "../app.txt");
        var sparse = dir.Combine("in", "sub", "holes.bin");
        await Run.ShellAsync($"truncate -s 64M '{sparse}' && printf data | dd of='{sparse}' bs=1M seek=32 conv=notrunc status=none");
        using var archive = UploadArchive.Create(UploadFolder.Scan(dir.Combine("in")));

        // Two readers at once, each at its own pace, as two hosts would read it.
        await using (var first = archive.Open())
        await using (var second = archive.Open())
        await using (var copy = File.Create(dir.Combine("copy.tar")))
        {
            var buffer = new byte[100];
            await second.ReadExactlyAsync(buffer);
            await first.CopyToAsync(copy);
        }

        Directory.CreateDirectory(dir.Combine("out"));
        await Run.ShellAsync($"tar -x -f '{dir.Combine("copy.tar")}' -C '{dir.Combine("out")}' --no-same-owner");
        Assert.Equal("app\n", File.ReadAllText(dir.Combine("out", "app.txt")));
        Assert.Equal("deep\n", File.ReadAllText(dir.Combine("out", "sub", "deep.txt")));
        Assert.Equal("../app.txt", new FileInfo(dir.Combine("out", "sub", "back")).LinkTarget);
        Assert.Equal(3, archive.Files);
        var holes = dir.Combine("out", "sub", "holes.bin");
        Assert.Equal(64L << 20, new FileInfo(holes).Length);
        Assert.False(Directory.Exists(dir.Combine("out", "sub", "GNUSparseFile.0")));
        await using var unpacked = File.OpenRead(holes);
        unpacked.Position = 32L << 20;
        var data = new byte[4];
        unpacked.ReadExactly(data);
        Assert.Equal("data"u8.ToArray(), data);
        Assert.True(new FileInfo(dir.Combine("copy.tar")).Length < 1 << 20, "the holes were packed as zeros");
    }

    [Fact]
    public void Same_Files_Give_The_Same_Revision_And_A_Change_A_New_One()
    {
        dir.Write("in/app.txt", "v1");
        string Revision()
        {
            using var archive = UploadArchive.Create(UploadFolder.Scan(dir.Combine("in")));
            return archive.Revision;
        }

        var first = Revision();
        Assert.Equal(first, Revision());
        dir.Write("in/app.txt", "v2");
        Assert.NotEqual(first, Revision());
    }

    [Theory]
    [InlineData("symlink")]
    [InlineData("fifo")]
    [InlineData("other-file")]
    [InlineData("parent-symlink")]
    public async Task A_File_Swapped_After_The_Scan_Is_Not_Sent_And_Is_Warned_About(string swap)
    {
        dir.Write("in/app.txt", "app\n");
        dir.Write("in/sub/zzz", "public\n");
        File.SetUnixFileMode(dir.Write("secret", "TOPSECRET-root-only\n"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        dir.Write("elsewhere/zzz", "TOPSECRET-root-only\n");
        var folder = UploadFolder.Scan(dir.Combine("in"));
        var zzz = dir.Combine("in", "sub", "zzz");

        // What the attacker did between hoist's scan and its pack: a rename over the scanned file (or its folder).
        var swapped = swap switch
        {
            "symlink" => $"ln -s '{dir.Combine("secret")}' '{zzz}.new' && mv -T '{zzz}.new' '{zzz}'",
            "fifo" => $"mkfifo '{zzz}.new' && mv -T '{zzz}.new' '{zzz}'",
            "other-file" => $"cp '{dir.Combine("secret")}' '{zzz}.new' && mv -T '{zzz}.new' '{zzz}'",
            _ => $"mv '{dir.Combine("in", "sub")}' '{dir.Combine("in", "sub.old")}' && ln -s '{dir.Combine("elsewhere")}' '{dir.Combine("in", "sub")}'",
        };
        await Run.ShellAsync(swapped);

        // Bounded: before the fix a FIFO here blocked open() until a writer came.
        using var archive = await Task.Run(() => UploadArchive.Create(folder)).WaitAsync(TimeSpan.FromSeconds(20));
        await using (var read = archive.Open())
        await using (var copy = File.Create(dir.Combine("copy.tar")))
        {
            await read.CopyToAsync(copy);
        }

        Directory.CreateDirectory(dir.Combine("out"));
        await Run.ShellAsync($"tar -x -f '{dir.Combine("copy.tar")}' -C '{dir.Combine("out")}' --no-same-owner");
        Assert.Equal("app\n", File.ReadAllText(dir.Combine("out", "app.txt")));
        Assert.False(File.Exists(dir.Combine("out", "sub", "zzz")), "the swapped file was sent");
        Assert.DoesNotContain("TOPSECRET", File.ReadAllText(dir.Combine("copy.tar")));
        Assert.Equal(1, archive.Files);
        var warning = Assert.Single(archive.Warnings);
        Assert.StartsWith("skipped sub/zzz: it changed after the upload folder was scanned (", warning);
    }

    public void Dispose() => dir.Dispose();
}
