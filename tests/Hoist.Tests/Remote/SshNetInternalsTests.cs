using Hoist.Core;
using Hoist.Remote;

namespace Hoist.Tests.Remote;

public sealed class SshNetInternalsTests
{
    [Fact]
    public void Finds_The_Members_Of_The_Pinned_SshNet()
    {
        var members = SshNetInternals.Get();

        Assert.Equal("Session", members.Session.Name);
        Assert.Equal("SendMessage", members.SendMessage.Name);
    }

    [Fact]
    public void A_Missing_Member_Is_A_Hoist_Error_Naming_It_And_The_Keepalive_Workaround()
    {
        var error = Assert.Throws<HoistException>(() => SshNetInternals.Find(sessionProperty: "SessionGone"));

        Assert.Equal(ExitCodes.Failure, error.ExitCode);
        Assert.Contains("has no BaseClient.SessionGone (its version changed?)", error.Message);
        Assert.Contains("`ssh: { keepalive_interval: 0 }`", error.Message);
    }

    [Fact]
    public void A_Missing_Method_Is_Reported_The_Same_Way()
    {
        var error = Assert.Throws<HoistException>(() => SshNetInternals.Find(sendMethod: "SendMessageGone"));

        Assert.Contains("has no Session.SendMessageGone(Message)", error.Message);
        Assert.Contains("keepalive_interval: 0", error.Message);
    }
}
