namespace Hoist.Tests.Serve.Files;

using Hoist.Core;
using Hoist.Serve.Files;
using Hoist.Tests.Support;

/// <summary>OwnFile on the real file system, in milliseconds; a foreign owner is a bare uid chown'd as root (the tests run as root).</summary>
public sealed class OwnFileTests : IDisposable
{
    private const UnixFileMode Sticky = (UnixFileMode)0b1_111_111_111;
    private readonly TempDir dir = new("hoist-ownfile");

    [Fact]
    public void Appends_To_Its_Own_File()
    {
        var path = dir.Write("serve.log", "one\n");
        using (var stream = OwnFile.OpenAppend(path, "logto"))
        {
            stream.Write("two\n"u8);
        }

        Assert.Equal("one\ntwo\n", File.ReadAllText(path));
    }

    [Fact]
    public void Replace_Truncates_Its_Own_File()
    {
        var path = dir.Write("serve.pid", "123456789\n");
        OwnFile.Replace(path, "pidfile", "42\n");
        Assert.Equal("42\n", File.ReadAllText(path));
    }

    [Fact]
    public void Rejects_A_Link_And_Leaves_Its_Target_Alone()
    {
        var target = dir.Write("target", "keep\n");
        var link = dir.Combine("serve.pid");
        File.CreateSymbolicLink(link, target);

        var error = Assert.Throws<HoistException>(() => OwnFile.Replace(link, "pidfile", "42\n"));

        Assert.StartsWith($"pidfile {link} is a symbolic link (to {target}, made by ", error.Message, StringComparison.Ordinal);
        Assert.Equal("keep\n", File.ReadAllText(target));
        Assert.Throws<HoistException>(() => OwnFile.Check(link, "pidfile"));
    }

    [Fact]
    public async Task Rejects_A_Fifo_Without_Waiting_For_A_Reader()
    {
        var fifo = dir.Combine("serve.log");
        await Run.ShellAsync($"mkfifo '{fifo}'");

        var error = Assert.Throws<HoistException>(() => OwnFile.OpenAppend(fifo, "logto"));

        Assert.Equal($"logto {fifo} is a FIFO, not a regular file; remove it, or set logto to another path", error.Message);
    }

    [Fact]
    public async Task Rejects_Another_Users_File_In_A_Sticky_Shared_Folder_Only()
    {
        var shared = Directory.CreateDirectory(dir.Combine("shared")).FullName;
        File.SetUnixFileMode(shared, Sticky);
        var theirs = dir.Write("shared/serve.pid", "theirs\n");
        var elsewhere = dir.Write("private/serve.pid", "theirs\n");
        await Run.ShellAsync($"chown 54321 '{theirs}' '{elsewhere}'");

        var error = Assert.Throws<HoistException>(() => OwnFile.Replace(theirs, "pidfile", "42\n"));
        OwnFile.Replace(elsewhere, "pidfile", "42\n");

        Assert.StartsWith($"pidfile {theirs} belongs to uid 54321, not to ", error.Message, StringComparison.Ordinal);
        Assert.Equal("theirs\n", File.ReadAllText(theirs));
        // Outside a shared folder, a file someone chown'd to another user is the admin's business, as the kernel sees it.
        Assert.Equal("42\n", File.ReadAllText(elsewhere));
    }

    [Fact]
    public void DeleteIfOwn_Spares_A_Link()
    {
        var target = dir.Write("target", "keep\n");
        var link = dir.Combine("serve.pid");
        File.CreateSymbolicLink(link, target);

        OwnFile.DeleteIfOwn(link);

        Assert.Equal("keep\n", File.ReadAllText(target));
        Assert.Equal(target, new FileInfo(link).LinkTarget);
    }

    public void Dispose() => dir.Dispose();
}
