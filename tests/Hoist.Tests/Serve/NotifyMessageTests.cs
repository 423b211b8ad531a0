namespace Hoist.Tests.Serve;

using Hoist.Serve;

public sealed class NotifyMessageTests
{
    [Fact]
    public void Ready_Says_Ready_With_Status_And_Main_Pid()
    {
        Assert.Equal("READY=1\nSTATUS=2 worker(s) ready\nMAINPID=4242", NotifyMessage.Ready(4242, "2 worker(s) ready"));
    }

    [Fact]
    public void Reloading_Carries_The_Monotonic_Time()
    {
        Assert.Equal("RELOADING=1\nMONOTONIC_USEC=123456789\nSTATUS=reloading (SIGHUP): generation 2", NotifyMessage.Reloading(123456789, "reloading (SIGHUP): generation 2"));
    }

    [Fact]
    public void Stopping_And_Status()
    {
        Assert.Equal("STOPPING=1\nSTATUS=stopping", NotifyMessage.Stopping("stopping"));
        Assert.Equal("STATUS=starting 2 worker(s)", NotifyMessage.Status("starting 2 worker(s)"));
    }

    [Fact]
    public void A_Status_With_Line_Breaks_Cannot_Add_A_Key()
    {
        var message = NotifyMessage.Status("worker 1 exited\nREADY=1\r\n");

        Assert.Equal("STATUS=worker 1 exited READY=1", message);
        Assert.Equal([new("STATUS", "worker 1 exited READY=1")], NotifyMessage.Parse(message));
    }

    [Fact]
    public void Parse_Reads_Each_Key_In_Order()
    {
        Assert.Equal(
            [new("READY", "1"), new("STATUS", "a=b"), new("MAINPID", "7")],
            NotifyMessage.Parse("READY=1\nSTATUS=a=b\nMAINPID=7\n"));
    }
}
