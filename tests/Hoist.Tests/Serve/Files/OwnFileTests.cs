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

    [Fact]
    public async Task Replace_Refuses_A_Folder_Link_Of_Another_User_And_Leaves_The_File_Behind_It_Alone()
    {
        var shared = Directory.CreateDirectory(dir.Combine("shared")).FullName;
        File.SetUnixFileMode(shared, Sticky);
        var victim = dir.Write("victim/serve.pid", "keep\n");
        var link = dir.Combine("shared", "atk");
        File.CreateSymbolicLink(link, Path.GetDirectoryName(victim)!);
        await Run.ShellAsync($"chown -h 54321 '{link}'");

        var error = Assert.Throws<HoistException>(() => OwnFile.Replace($"{link}/serve.pid", "pidfile", "42\n"));

        Assert.StartsWith($"pidfile {link}/serve.pid goes through {link}, a symbolic link (to {Path.GetDirectoryName(victim)}, made by uid 54321)", error.Message, StringComparison.Ordinal);
        Assert.Equal("keep\n", File.ReadAllText(victim));
        Assert.Throws<HoistException>(() => OwnFile.Check($"{link}/serve.pid", "pidfile"));
        Assert.Throws<HoistException>(() => OwnFile.OpenAppend($"{link}/serve.log", "logto"));
        Assert.False(File.Exists(dir.Combine("victim", "serve.log")));
    }

    [Fact]
    public async Task DeleteIfOwn_Spares_A_File_Behind_A_Folder_Link_Of_Another_User()
    {
        var victim = dir.Write("victim/serve.pid", "keep\n");
        var link = dir.Combine("atk");
        File.CreateSymbolicLink(link, Path.GetDirectoryName(victim)!);
        await Run.ShellAsync($"chown -h 54321 '{link}'");

        OwnFile.DeleteIfOwn($"{link}/serve.pid");

        Assert.Equal("keep\n", File.ReadAllText(victim));
    }

    [Fact]
    public void Follows_A_Folder_Link_Of_Roots_In_A_Folder_Only_Root_May_Write()
    {
        var real = Directory.CreateDirectory(dir.Combine("run")).FullName;
        var link = dir.Combine("var-run");
        File.CreateSymbolicLink(link, "run");

        OwnFile.Replace($"{link}/serve.pid", "pidfile", "42\n");
        Assert.Equal("42\n", File.ReadAllText($"{real}/serve.pid"));
        OwnFile.DeleteIfOwn($"{link}/serve.pid");
        Assert.False(File.Exists($"{real}/serve.pid"));
    }

    public void Dispose() => dir.Dispose();
}
