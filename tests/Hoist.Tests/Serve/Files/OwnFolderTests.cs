namespace Hoist.Tests.Serve.Files;

using Hoist.Core;
using Hoist.Serve.Files;
using Hoist.Tests.Support;

/// <summary>The walk from / on the real file system, in milliseconds; another user's link is a bare uid given with chown -h (the tests run as root).</summary>
public sealed class OwnFolderTests : IDisposable
{
    private const UnixFileMode Sticky = (UnixFileMode)0b1_111_111_111;
    private readonly TempDir dir = new("hoist-ownfolder");

    [Fact]
    public void Ends_In_The_Folder_Holding_The_File()
    {
        var real = Directory.CreateDirectory(dir.Combine("a", "b")).FullName;

        using var folder = OwnFolder.Open($"{real}/serve.pid", "pidfile", create: false);

        Assert.Equal(real, folder!.Path);
        Assert.True(folder.Facts.IsDirectory);
    }

    [Fact]
    public void Makes_Missing_Folders_Only_When_Asked()
    {
        var file = dir.Combine("x", "y", "serve.log");

        Assert.Null(OwnFolder.Open(file, "logto", create: false));
        using var folder = OwnFolder.Open(file, "logto", create: true);

        Assert.True(Directory.Exists(dir.Combine("x", "y")));
    }

    [Fact]
    public void Walks_Through_Tmp_And_Var_Run_As_They_Are_Here()
    {
        using var tmp = OwnFolder.Open("/tmp/serve.pid", "pidfile", create: false);
        using var run = OwnFolder.Open("/var/run/serve.pid", "pidfile", create: false);

        Assert.Equal("/tmp", tmp!.Path);
        Assert.True(tmp.Facts.IsSharedSticky);
        Assert.Equal(new FileInfo("/var/run").ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? "/var/run", run!.Path);
    }

    [Fact]
    public void Follows_Relative_And_Absolute_Links_Of_Roots_In_A_Folder_Only_Root_May_Write()
    {
        var real = Directory.CreateDirectory(dir.Combine("srv", "run")).FullName;
        File.CreateSymbolicLink(dir.Combine("rel"), "srv/../srv/run");
        File.CreateSymbolicLink(dir.Combine("abs"), real);
        File.CreateSymbolicLink(dir.Combine("chain"), "abs");

        foreach (var link in (string[])["rel", "abs", "chain"])
        {
            using var folder = OwnFolder.Open(dir.Combine(link, "serve.pid"), "pidfile", create: false);
            Assert.Equal(real, folder!.Path);
        }
    }

    [Fact]
    public async Task Refuses_A_Link_Of_Another_User_Naming_It_Its_Target_And_Its_Maker()
    {
        var real = Directory.CreateDirectory(dir.Combine("victim")).FullName;
        var link = dir.Combine("theirs");
        File.CreateSymbolicLink(link, real);
        await Run.ShellAsync($"chown -h 54321 '{link}'");

        var error = Assert.Throws<HoistException>(() => OwnFolder.Open($"{link}/deeper/serve.pid", "logto", create: true));

        Assert.StartsWith($"logto {link}/deeper/serve.pid goes through {link}, a symbolic link (to {real}, made by uid 54321) in {dir.Path}, ", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists($"{real}/deeper"));
    }

    [Fact]
    public void Refuses_A_Link_Of_Roots_In_A_Folder_Others_May_Write()
    {
        var shared = Directory.CreateDirectory(dir.Combine("shared")).FullName;
        File.SetUnixFileMode(shared, Sticky);
        var real = Directory.CreateDirectory(dir.Combine("real")).FullName;
        var link = dir.Combine("shared", "run");
        File.CreateSymbolicLink(link, real);

        var error = Assert.Throws<HoistException>(() => OwnFolder.Open($"{link}/serve.pid", "pidfile", create: false));

        Assert.Contains($"goes through {link}, a symbolic link (to {real}, made by root (uid 0)) in {shared}, a folder of root (uid 0)'s, mode 1777", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Stops_At_A_Loop_Of_Links()
    {
        File.CreateSymbolicLink(dir.Combine("loop"), "loop");

        var error = Assert.Throws<HoistException>(() => OwnFolder.Open(dir.Combine("loop", "serve.pid"), "pidfile", create: true));

        Assert.Contains("Too many levels of symbolic links", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    public void Dispose() => dir.Dispose();
}
