namespace Hoist.Tests.Serve.Control;

using Hoist.Core;
using Hoist.Serve.Control;
using Hoist.Tests.Support;

public sealed class ControlFolderTests : IDisposable
{
    private readonly TempDir dir = new("hoist-ctlfolder");

    [Fact]
    public void Makes_A_Missing_Folder_Private()
    {
        var folder = dir.Combine("hoist");

        ControlFolder.EnsurePrivate(folder);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
    }

    [Fact]
    public void Rejects_A_Folder_Others_May_Enter()
    {
        var folder = Directory.CreateDirectory(dir.Combine("hoist")).FullName;
        File.SetUnixFileMode(folder, (UnixFileMode)0b111_111_111);

        var error = Assert.Throws<HoistException>(() => ControlFolder.EnsurePrivate(folder));

        Assert.Contains($"the control socket's folder {folder} must be a folder of ", error.Message, StringComparison.Ordinal);
        Assert.Contains("mode 777", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rejects_Another_Users_Folder_Or_A_Link()
    {
        var theirs = Directory.CreateDirectory(dir.Combine("theirs")).FullName;
        File.SetUnixFileMode(theirs, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await Run.ShellAsync($"chown 54321 '{theirs}'");
        var link = dir.Combine("link");
        Directory.CreateSymbolicLink(link, theirs);

        Assert.Contains("a folder of uid 54321's", Assert.Throws<HoistException>(() => ControlFolder.EnsurePrivate(theirs)).Message, StringComparison.Ordinal);
        Assert.Contains("a symbolic link", Assert.Throws<HoistException>(() => ControlFolder.EnsurePrivate(link)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_Is_Roots_Run_Folder_Or_A_Folder_Named_For_The_User()
    {
        var uid = Hoist.Serve.Native.EffectiveUid();
        Assert.Equal(uid == 0 ? "/run/hoist" : $"/tmp/hoist-{uid}", ControlFolder.Default);
    }

    public void Dispose() => dir.Dispose();
}
