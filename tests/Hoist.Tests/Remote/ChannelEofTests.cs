using Hoist.Core;
using Hoist.Remote;

namespace Hoist.Tests.Remote;

public sealed class ChannelEofTests
{
    [Fact]
    public void Finds_The_Members_Of_The_Pinned_SshNet()
    {
        var members = ChannelEof.Get();

        Assert.Equal("ChannelInputStream", members.InputStream.Name);
        Assert.Equal("_channel", members.Channel.Name);
        Assert.Equal(typeof(Lock), members.MessagingLock.FieldType);
    }

    [Fact]
    public void A_Missing_Member_Is_A_Hoist_Error_Naming_It()
    {
        var error = Assert.Throws<HoistException>(() => ChannelEof.Find(lockField: "_messagingLockGone"));

        Assert.Equal(ExitCodes.Failure, error.ExitCode);
        Assert.Contains("has no Channel._messagingLockGone (a System.Threading.Lock) (its version changed?)", error.Message);
        Assert.Contains("nothing was done on any host", error.Message);
    }

    [Fact]
    public void Another_Stream_Is_Just_Disposed()
    {
        var stream = new MemoryStream();

        ChannelEof.Get().Close(stream);

        Assert.False(stream.CanWrite);
    }
}
