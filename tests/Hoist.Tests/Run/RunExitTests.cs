namespace Hoist.Tests.Run;

using Hoist.Remote;
using Hoist.Run;

public sealed class RunExitTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(7, 7)]
    [InlineData(255, 255)]
    [InlineData(256, 0)]
    public void The_Exit_Status_Is_Hoists(int status, int code) => Assert.Equal(code, RunExit.Code(new RemoteExit(status, null)));

    [Theory]
    [InlineData("INT", 130)]
    [InlineData("TERM", 143)]
    [InlineData("KILL", 137)]
    [InlineData("SIGSEGV", 139)]
    [InlineData("HUP", 129)]
    [InlineData("NOSUCH", 128)]
    public void A_Signal_Is_128_Plus_Its_Linux_Number(string signal, int code) => Assert.Equal(code, RunExit.Code(new RemoteExit(null, signal)));

    [Fact]
    public void Neither_Is_255_As_Ssh_Says_For_A_Lost_Session() => Assert.Equal(255, RunExit.Code(new RemoteExit(null, null)));
}
