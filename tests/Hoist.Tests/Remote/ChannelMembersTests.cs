namespace Hoist.Tests.Remote;

using Hoist.Core;
using Hoist.Remote;

public sealed class ChannelMembersTests
{
    [Fact]
    public void Finds_The_Session_Channel_Members_Of_The_Pinned_SshNet()
    {
        var members = ChannelMembers.Get();

        Assert.Equal("SendPseudoTerminalRequest", members.PtyRequest.Name);
        Assert.Equal("SendExecRequest", members.ExecRequest.Name);
        Assert.Equal("RequestReceived", members.RequestReceived.Name);
    }

    [Fact]
    public void A_Missing_Member_Is_A_Hoist_Error_Naming_It_And_The_Pipe_Workaround()
    {
        var error = Assert.Throws<HoistException>(() => ChannelMembers.Find(execMethod: "SendExecGone"));

        Assert.Equal(ExitCodes.Failure, error.ExitCode);
        Assert.Contains("has no IChannelSession.SendExecGone (its version changed?)", error.Message);
        Assert.Contains("to run it without a terminal", error.Message);
    }
}
